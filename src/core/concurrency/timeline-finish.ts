/**
 * What both timeline builders share once they have lanes and raw spans: times made relative
 * to the earliest lane start, gaps inside a lane filled with `idle`, equal neighbours merged,
 * the span count capped, and the per-lane summary.
 *
 * Cap: while over TIMELINE_MAX_SPANS, spans shorter than a threshold (doubling from 1 µs) are
 * folded into their longer neighbour of the same lane — the shortest go first, and the
 * neighbour keeps its state and label — and the timeline says it was truncated.
 */
import {
  TIMELINE_FORMAT,
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

/** Folds spans shorter than `minUs` into a neighbour; the longer of the two keeps its identity. */
function foldShort(spans: TimelineSpan[], minUs: number): TimelineSpan[] {
  const out: TimelineSpan[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && (span.durUs < minUs || last.durUs < minUs)) {
      const keep = last.durUs >= span.durUs ? last : span;
      out[out.length - 1] = {
        ...keep,
        startUs: last.startUs,
        durUs: span.startUs + span.durUs - last.startUs,
      };
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
  let perLane = draft.lanes.map((lane, i) => fillLane(lane, i, byLane[i] ?? []));
  const notes = [...draft.notes];
  let truncated = false;
  const count = () => perLane.reduce((sum, spans) => sum + spans.length, 0);
  for (let minUs = 1; count() > maxSpans; minUs *= 2) {
    truncated = true;
    perLane = perLane.map((spans) => foldShort(spans, minUs));
    if (minUs > 1e12) break;
  }
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
