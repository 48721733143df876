/**
 * Issue 12's acceptance test: on the course's concurrency exercises, the sampled profile (py-spy
 * on the host, every thread and process, real bubblewrap sandbox, real Python) names the hot
 * function in the worker threads or processes, and the timeline shows the waits one after
 * another on the starter and overlapping on the fix.
 *
 * Robust to load: every assertion compares structure (which threads and processes a function
 * was sampled in, how many lanes were in a call at the same time), never a duration. On this
 * 2-CPU machine the fixes' pools have 2 worker processes (usable CPUs) and the thread pools
 * one thread per request.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWindow, sliceTimeline } from '../core/concurrency/timeline-slice.js';
import type { SampledProfile } from '../core/concurrency/sampled-profile.js';
import type { Timeline, TimelineLane, TimelineSpan } from '../core/concurrency/timeline.js';
import { exerciseEntry, learnerTree } from '../core/exercise-workspace.js';
import { loadExercise } from '../exercises/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { runConcurrencyProfile } from '../runner/concurrency-profile.js';
import { peakAtOnce, peakRunningProcesses } from './concurrency-evidence.js';
import { Runner } from '../runner/runner.js';
import { requireBwrap } from '../test-support/sandboxes.js';

const queue = createMemoryQueue({ concurrency: 1 });
const runner = new Runner(requireBwrap(), queue);
afterAll(() => queue.close());

/** py-spy's rate here: enough samples in the shortest call (~0.2 s of fetches) to see every lane. */
const RATE_HZ = 100;

interface Sampled {
  profile: SampledProfile;
  timeline: Timeline;
}

/** The exercise's program (meta.yaml `run:`) from its starter or its solution, sampled once. */
async function sampled(exerciseId: string, side: 'starter' | 'solution'): Promise<Sampled> {
  const exercise = await loadExercise(join(PROJECT_ROOT, 'course', 'exercises', exerciseId));
  const files = learnerTree(exercise, side === 'solution' ? exercise.solution : {});
  const result = await runConcurrencyProfile(
    runner,
    { files, entry: exerciseEntry(exercise), limits: { wallS: 60 } },
    'sample',
    { rateHz: RATE_HZ, gil: true },
  );
  if (result.report.status !== 'ok' || !result.sampled || !result.timeline)
    throw new Error(`${exerciseId} ${side}: ${result.report.message}`);
  return { profile: result.sampled, timeline: result.timeline };
}

/**
 * The thread lanes sampled with `name` on their stack, however briefly: py-spy 0.4.3 cuts a
 * forked worker's samples short (it ends them at its sibling's next sample), which can round
 * the worker's sample count in the tables down to 0 while its lane still shows the call.
 */
function lanesIn(timeline: Timeline, name: string): TimelineLane[] {
  const lanes = new Set(timeline.spans.filter(onStack(name)).map((span) => span.lane));
  return timeline.lanes.filter((lane, index) => lanes.has(index) && lane.kind === 'thread');
}

/** A process's main thread (py-spy may not have read its name: its tid is then the process id). */
const isMainThread = (lane: TimelineLane) => lane.label === 'MainThread' || lane.tid === lane.pid;

/**
 * The process that called `name` (a pool's caller, say). Forked workers start with a copy of
 * their parent's stack, so they show the caller's frames too: the caller is the one of those
 * processes whose parent is not among them.
 */
function callerPid({ profile, timeline }: Sampled, name: string): number {
  const pids = new Set(lanesIn(timeline, name).map((lane) => lane.pid));
  const parentPid = (pid: number) => {
    const parentKey = profile.processes.find((p) => p.pid === pid)?.parentKey;
    return profile.processes.find((p) => p.key === parentKey)?.pid;
  };
  const roots = [...pids].filter((pid) => !pids.has(parentPid(pid) ?? -1));
  expect(roots, `one process called ${name}`).toHaveLength(1);
  return roots[0] as number;
}

/** The timeline cut to the window where `name` was on a stack. */
function during(timeline: Timeline, name: string): Timeline {
  const window = callWindow(timeline, name);
  expect(window, `${name} on a stack`).not.toBeNull();
  return sliceTimeline(timeline, window as { startUs: number; endUs: number });
}

const onStack = (name: string) => (span: TimelineSpan) => span.stack.some((frame) => frame.name === name);

/** Most lanes at once inside a call to `name` (whatever their state: running or blocked in it). */
const peakLanesIn = (timeline: Timeline, name: string) => peakAtOnce(timeline, onStack(name));

/** Worker-side assertions: `hot` ran in threads of the caller's process (threads) or of others (processes). */
function expectHotIn(run: Sampled, hot: string, caller: string, where: 'threads' | 'processes') {
  expect(
    run.profile.functions.map((f) => f.name),
    'the sampled profile names it',
  ).toContain(hot);
  const callerProcess = callerPid(run, caller);
  const lanes = lanesIn(run.timeline, hot);
  const elsewhere = lanes.filter((lane) => lane.pid !== callerProcess);
  if (where === 'threads') {
    const workers = lanes.filter((lane) => lane.pid === callerProcess && !isMainThread(lane));
    expect(workers.length, `${hot} in worker threads of the caller's process`).toBeGreaterThanOrEqual(2);
    expect(elsewhere).toHaveLength(0);
  } else {
    expect(
      new Set(elsewhere.map((lane) => lane.pid)).size,
      `${hot} in worker processes`,
    ).toBeGreaterThanOrEqual(2);
  }
}

/** `name` was sampled only in the program's main thread, so never twice at once. */
function expectOneAtATimeOnMainThread({ timeline }: Sampled, name: string) {
  const lanes = lanesIn(timeline, name);
  expect(
    lanes.map((lane) => lane.label),
    `${name} in one thread`,
  ).toHaveLength(1);
  expect(isMainThread(lanes[0] as TimelineLane)).toBe(true);
  expect(peakLanesIn(timeline, name)).toBe(1);
}

describe('sampled profiles and timelines of the concurrency exercises (bubblewrap, py-spy on the host)', () => {
  const runs = new Map<string, Sampled>();
  const of = (id: string, side: 'starter' | 'solution') => runs.get(`${id}/${side}`) as Sampled;
  beforeAll(async () => {
    // One after another: the runs would otherwise compete for the two CPUs they are about.
    for (const id of ['threads-for-cpu', 'blocking-in-async', 'lost-worker-results', 'import-pipeline'])
      for (const side of ['starter', 'solution'] as const) runs.set(`${id}/${side}`, await sampled(id, side));
  }, 600_000);

  it('threads-for-cpu: denoise in pool threads taking turns on the GIL; on the fix in worker processes at once', () => {
    const starter = of('threads-for-cpu', 'starter');
    expectHotIn(starter, 'denoise', 'make_previews', 'threads');
    const pooled = during(starter.timeline, 'make_previews');
    // Several threads are inside denoise at once, but only one process runs Python: they take turns.
    expect(peakLanesIn(pooled, 'denoise')).toBeGreaterThanOrEqual(2);
    expect(peakRunningProcesses(pooled)).toBe(1);
    const fix = of('threads-for-cpu', 'solution');
    expectHotIn(fix, 'denoise', 'make_previews', 'processes');
    const parallel = during(fix.timeline, 'make_previews');
    expect(peakLanesIn(parallel, 'denoise')).toBeGreaterThanOrEqual(2);
    expect(peakRunningProcesses(parallel)).toBeGreaterThanOrEqual(2);
  });

  it('blocking-in-async: the blocking fetch on the event loop thread, one at a time; on the fix in threads at once', () => {
    const starter = of('blocking-in-async', 'starter');
    expectOneAtATimeOnMainThread(starter, 'blocking_fetch');
    const fix = of('blocking-in-async', 'solution');
    expectHotIn(fix, 'blocking_fetch', 'main', 'threads');
    // The event loop's thread no longer fetches: it only waits for the threads.
    expect(lanesIn(fix.timeline, 'blocking_fetch').some(isMainThread)).toBe(false);
    expect(peakLanesIn(fix.timeline, 'blocking_fetch')).toBeGreaterThanOrEqual(2);
  });

  it('lost-worker-results: risk_score in the pool worker processes, two at once on both (the bug is lost results, not serial work)', () => {
    for (const side of ['starter', 'solution'] as const) {
      const run = of('lost-worker-results', side);
      expectHotIn(run, 'risk_score', 'score_all', 'processes');
      expect(peakLanesIn(during(run.timeline, 'score_all'), 'risk_score'), side).toBeGreaterThanOrEqual(2);
    }
  });

  it('import-pipeline: downloads one after another and the filter on one CPU; on the fix downloads at once and the filter in worker processes', () => {
    const starter = of('import-pipeline', 'starter');
    expectOneAtATimeOnMainThread(starter, 'blocking_fetch');
    expect(peakLanesIn(starter.timeline, 'flag_chunk')).toBe(1);
    const fix = of('import-pipeline', 'solution');
    expect(peakLanesIn(fix.timeline, 'blocking_fetch')).toBeGreaterThanOrEqual(2);
    expectHotIn(fix, 'flag_chunk', 'flag_impersonators', 'processes');
    expect(peakLanesIn(fix.timeline, 'flag_chunk')).toBeGreaterThanOrEqual(2);
  });
});
