/**
 * What both timeline builders share once they have lanes and raw spans: times made relative
 * to the earliest lane start, gaps inside a lane filled with `idle`, equal neighbours merged,
 * the span count capped, and the per-lane summary.
 *
 * Cap: while over TIMELINE_MAX_SPANS, runs of spans shorter than a threshold (doubling) are
 * folded into groups about that long, each taking its longest span's state and label — the
 * shortest go first, long waits and runs stay exact — and the timeline says it was truncated.
 */
import {
  TIMELINE_FORMAT,
  type LaneState,
  type LaneSummary,
  type Timeline,
  type TimelineLane,
  type TimelineSpan,
} from './timeline.js';

export const TIMELINE_MAX_SPANS = 20_000;

export interface TimelineDraft {
  source: Timeline['source'];
  sampleRateHz: number | null;
  /** Absolute times in the tracer's clock (µs); spans in any order. */
  lanes: TimelineLane[];
  spans: TimelineSpan[];
  notes: string[];
  maxSpans?: number;
}

function sameSpan(a: TimelineSpan, b: TimelineSpan): boolean {
  return a.state === b.state && a.label === b.label;
}

/** Sorted spans of one lane with idle filling the gaps between lane start and end. */
function fillLane(lane: TimelineLane, index: number, spans: TimelineSpan[]): TimelineSpan[] {
  const sorted = spans.filter((s) => s.durUs > 0).sort((a, b) => a.startUs - b.startUs);
  const out: TimelineSpan[] = [];
  let cursor = lane.startUs;
  const push = (span: TimelineSpan) => {
    const last = out[out.length - 1];
    if (last && sameSpan(last, span) && last.startUs + last.durUs >= span.startUs) {
      last.durUs = Math.max(last.durUs, span.startUs + span.durUs - last.startUs);
    } else out.push({ ...span });
  };
  for (const span of sorted) {
    const start = Math.max(span.startUs, cursor);
    const end = span.startUs + span.durUs;
    if (end <= start) continue;
    if (start > cursor)
      push({ lane: index, startUs: cursor, durUs: start - cursor, state: 'idle', label: '', stack: [] });
    push({ ...span, lane: index, startUs: start, durUs: end - start });
    cursor = end;
  }
  if (lane.kind !== 'process' && sorted.length > 0 && lane.endUs > cursor)
    push({ lane: index, startUs: cursor, durUs: lane.endUs - cursor, state: 'idle', label: '', stack: [] });
  return out;
}

/**
 * Folds runs of spans shorter than `minUs` into groups of about `minUs` each. A group takes the
 * state it spent most time in, and the label and stack of its longest span in that state.
 * Spans of `minUs` or longer stay as they are.
 */
function foldShort(spans: readonly TimelineSpan[], minUs: number): TimelineSpan[] {
  const out: TimelineSpan[] = [];
  let group: TimelineSpan[] = [];
  const close = () => {
    const first = group[0];
    const last = group[group.length - 1];
    if (!first || !last) return;
    const byState = new Map<LaneState, number>();
    for (const span of group) byState.set(span.state, (byState.get(span.state) ?? 0) + span.durUs);
    const state = [...byState.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? first.state;
    const longest = group.filter((s) => s.state === state).sort((a, b) => b.durUs - a.durUs)[0] ?? first;
    out.push({ ...longest, startUs: first.startUs, durUs: last.startUs + last.durUs - first.startUs });
    group = [];
  };
  for (const span of spans) {
    if (span.durUs >= minUs) {
      close();
      out.push(span);
      continue;
    }
    group.push(span);
    const first = group[0] as TimelineSpan;
    if (span.startUs + span.durUs - first.startUs >= minUs) close();
  }
  close();
  return out;
}

/** Joins neighbours of the same state and label (the first one's stack is kept). */
function joinEqual(spans: readonly TimelineSpan[]): TimelineSpan[] {
  const out: TimelineSpan[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && sameSpan(last, span) && last.startUs + last.durUs >= span.startUs - 1e-6) {
      out[out.length - 1] = { ...last, durUs: span.startUs + span.durUs - last.startUs };
    } else out.push(span);
  }
  return out;
}

export function summarise(lanes: readonly TimelineLane[], spans: readonly TimelineSpan[]): LaneSummary[] {
  const summary = lanes.map((_, lane) => ({
    lane,
    runningUs: 0,
    waitingIoUs: 0,
    waitingLockUs: 0,
    idleUs: 0,
  }));
  for (const span of spans) {
    const row = summary[span.lane];
    if (!row) continue;
    if (span.state === 'running') row.runningUs += span.durUs;
    else if (span.state === 'waiting-io') row.waitingIoUs += span.durUs;
    else if (span.state === 'waiting-lock') row.waitingLockUs += span.durUs;
    else row.idleUs += span.durUs;
  }
  return summary;
}

export function finishTimeline(draft: TimelineDraft): Timeline {
  const maxSpans = draft.maxSpans ?? TIMELINE_MAX_SPANS;
  const originUs = draft.lanes.length > 0 ? Math.min(...draft.lanes.map((l) => l.startUs)) : 0;
  const byLane = draft.lanes.map(() => [] as TimelineSpan[]);
  for (const span of draft.spans) byLane[span.lane]?.push(span);
  const filled = draft.lanes.map((lane, i) => fillLane(lane, i, byLane[i] ?? []));
  const count = (lanes: TimelineSpan[][]) => lanes.reduce((sum, spans) => sum + spans.length, 0);
  let perLane = filled;
  const notes = [...draft.notes];
  // Start where the lanes' total time cut into maxSpans pieces would be; double until it fits.
  const totalUs = filled.reduce((sum, spans) => sum + spans.reduce((s, span) => s + span.durUs, 0), 0);
  // (Past the total time every lane is one group: the loop ends even with more lanes than spans.)
  for (
    let minUs = Math.max(1, totalUs / maxSpans / 4);
    count(perLane) > maxSpans && minUs <= 2 * totalUs;
    minUs *= 2
  ) {
    perLane = filled.map((spans) => joinEqual(foldShort(spans, minUs)));
  }
  const truncated = perLane !== filled;
  if (truncated)
    notes.push(
      `Spans shorter than a threshold were merged into their neighbours to keep the timeline under ${maxSpans} spans.`,
    );
  const lanes = draft.lanes.map((lane) => ({
    ...lane,
    startUs: lane.startUs - originUs,
    endUs: lane.endUs - originUs,
  }));
  const spans = perLane.flat().map((s) => ({ ...s, startUs: s.startUs - originUs }));
  return {
    format: TIMELINE_FORMAT,
    source: draft.source,
    sampleRateHz: draft.sampleRateHz,
    durationUs: lanes.reduce((max, l) => Math.max(max, l.endUs), 0),
    lanes,
    spans,
    summary: summarise(lanes, spans),
    truncated,
    notes,
  };
}
