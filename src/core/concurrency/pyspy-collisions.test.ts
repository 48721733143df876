/**
 * py-spy 0.4.3 keys its open stacks by pthread id, which forked workers share: a sample of one
 * worker closes its sibling's stack tens of µs after it opened. Each such run stands for the
 * time until that worker's next sample (pyspy-threads.ts, widenCollidedRuns).
 */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../documents.js';
import { buildSampledProfile } from './sampled-profile-build.js';
import type { SampleCapture } from './sampled-profile.js';

const TID = 140000; // the pthread id both forked workers inherited from their parent

/** B events of one sample's stack (outermost first) for worker `pid`. */
function open(pid: number, ts: number): TraceEvent[] {
  return [`process ${pid}:"python worker.py"`, `thread (${pid}): MainThread`, 'score'].map((name, i) => ({
    ph: 'B',
    name,
    pid,
    tid: TID,
    ts,
    args: { filename: i === 2 ? '/work/worker.py' : '', line: i === 2 ? 7 : 0 },
  }));
}
const close = (pid: number, ts: number): TraceEvent[] =>
  open(pid, ts)
    .reverse()
    .map((e) => ({ ...e, ph: 'E' }));

/** Rounds every `gapUs` (late rounds: 10–50 ms at 100 Hz): worker 4 sampled, then worker 5 at once. */
function collidedRounds(rounds: number, gapUs: number): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const t = r * gapUs;
    if (r > 0) events.push(...close(5, t));
    events.push(...open(4, t), ...close(4, t + 60), ...open(5, t + 60));
  }
  events.push(...close(5, rounds * gapUs));
  return events;
}

const capture = (traceEvents: TraceEvent[]): SampleCapture => ({
  tool: { name: 'py-spy', version: '0.4.3' },
  rateHz: 100,
  traceEvents,
  gilTraceEvents: null,
  threadCpu: [],
  processes: [],
  durationMs: 1000,
  errors: [],
});

describe('forked workers sharing a pthread id', () => {
  it.each([10_000, 40_000])('gives both workers their samples when rounds come every %i µs', (gapUs) => {
    const profile = buildSampledProfile(capture(collidedRounds(50, gapUs)));
    const samplesOf = (pid: number) => profile.threads.find((t) => t.processKey === `p${pid}`)?.samples ?? 0;
    const expected = (50 * gapUs) / 10_000;
    // Before the fix the worker sampled first in each round got ~0 samples (60 µs per round).
    expect(samplesOf(4)).toBeGreaterThan(0.9 * expected);
    expect(samplesOf(5)).toBeGreaterThan(0.9 * expected);
  });
});
