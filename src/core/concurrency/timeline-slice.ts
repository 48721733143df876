/**
 * A window of a timeline — e.g. the time one checked function ran — for verification evidence.
 */
import { summarise } from './timeline-finish.js';
import type { Timeline, TimelineSpan } from './timeline.js';

/**
 * The part of `timeline` inside [startUs, endUs): spans clipped to the window, lanes without a
 * span there left out (a process lane stays while one of its threads does), and every time
 * rebased so that 0 is the window's start.
 */
export function sliceTimeline(timeline: Timeline, window: { startUs: number; endUs: number }): Timeline {
  const { startUs, endUs } = window;
  const clipped: TimelineSpan[] = [];
  for (const span of timeline.spans) {
    const from = Math.max(span.startUs, startUs);
    const to = Math.min(span.startUs + span.durUs, endUs);
    if (to > from) clipped.push({ ...span, startUs: from - startUs, durUs: to - from });
  }
  const withSpans = new Set(clipped.map((s) => s.lane));
  const pidsKept = new Set([...withSpans].map((i) => timeline.lanes[i]?.pid));
  const kept = timeline.lanes
    .map((lane, index) => ({ lane, index }))
    .filter(({ lane, index }) => withSpans.has(index) || (lane.kind === 'process' && pidsKept.has(lane.pid)));
  const newIndex = new Map(kept.map(({ index }, i) => [index, i]));
  const lanes = kept.map(({ lane }) => ({
    ...lane,
    startUs: Math.max(lane.startUs, startUs) - startUs,
    endUs: Math.max(0, Math.min(lane.endUs, endUs) - startUs),
  }));
  const spans = clipped.map((s) => ({ ...s, lane: newIndex.get(s.lane) ?? 0 }));
  return {
    ...timeline,
    durationUs: Math.max(0, Math.min(endUs, timeline.durationUs) - startUs),
    lanes,
    spans,
    summary: summarise(lanes, spans),
    notes: [
      ...timeline.notes,
      `A window of the run: ${formatMs(startUs)}–${formatMs(endUs)} from its start.`,
    ],
  };
}

function formatMs(us: number): string {
  return `${(us / 1000).toFixed(us < 10_000 ? 1 : 0)} ms`;
}

/** From the first to the end of the last span with `functionName` on its stack; null if none. */
export function callWindow(
  timeline: Timeline,
  functionName: string,
): { startUs: number; endUs: number } | null {
  let window: { startUs: number; endUs: number } | null = null;
  for (const span of timeline.spans) {
    if (!span.stack.some((f) => f.name === functionName)) continue;
    const end = span.startUs + span.durUs;
    window = window
      ? { startUs: Math.min(window.startUs, span.startUs), endUs: Math.max(window.endUs, end) }
      : { startUs: span.startUs, endUs: end };
  }
  return window;
}
