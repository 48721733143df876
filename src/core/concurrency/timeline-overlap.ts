/**
 * How much of a timeline happened at once: the figure that tells ten downloads in a row (at
 * most 1 waiting at a time) from ten together (10 at once).
 */
import type { LaneState, Timeline } from './timeline.js';

/**
 * The most lanes in `state` at the same instant, and the first time (µs) it happened. Spans of
 * one lane never overlap, so counting spans counts lanes; a span ending when another begins
 * does not overlap it.
 */
export function peakConcurrency(timeline: Timeline, state: LaneState): { lanes: number; atUs: number } {
  const edges: [atUs: number, delta: number][] = [];
  for (const span of timeline.spans) {
    if (span.state !== state || span.durUs <= 0) continue;
    edges.push([span.startUs, 1], [span.startUs + span.durUs, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = { lanes: 0, atUs: 0 };
  for (const [atUs, delta] of edges) {
    now += delta;
    if (now > peak.lanes) peak = { lanes: now, atUs };
  }
  return peak;
}

const STATE_WORDS: Record<LaneState, string> = {
  running: 'running',
  'waiting-io': 'waiting on I/O or sleeping',
  'waiting-lock': 'waiting on a lock, a join or a result',
  idle: 'idle',
};

/**
 * One sentence for evidence text, e.g. "Of 11 threads, at most 1 was waiting on I/O or sleeping
 * at once (at 120 ms) and at most 1 was running at once."
 */
export function describeConcurrency(timeline: Timeline): string {
  const lanes = timeline.lanes.filter((l) => l.kind !== 'process');
  const tasks = lanes.filter((l) => l.kind === 'task').length;
  const what = tasks === lanes.length ? 'tasks' : tasks > 0 ? 'threads and tasks' : 'threads';
  const parts = (['waiting-io', 'waiting-lock', 'running'] as const)
    .map((state) => ({ state, ...peakConcurrency(timeline, state) }))
    .filter((p) => p.lanes > 0)
    .map(
      (p) =>
        `at most ${p.lanes} ${p.lanes === 1 ? 'was' : 'were'} ${STATE_WORDS[p.state]} at once (first at ${Math.round(p.atUs / 1000)} ms)`,
    );
  if (parts.length === 0) return `Of ${lanes.length} ${what}, none was seen running or waiting.`;
  return `Of ${lanes.length} ${what}, ${parts.join('; ')}.`;
}
