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
import type { SampledProfile, SampledThread } from '../core/concurrency/sampled-profile.js';
import type { Timeline, TimelineSpan } from '../core/concurrency/timeline.js';
import { exerciseEntry, learnerTree } from '../core/exercise-workspace.js';
import { loadExercise } from '../exercises/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { runConcurrencyProfile } from '../runner/concurrency-profile.js';
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

/** The threads `name` was sampled in (anywhere on the stack), with their process keys. */
function threadsRunning(profile: SampledProfile, name: string) {
  const ids = new Set(profile.functions.filter((f) => f.name === name).map((f) => f.id));
  return profile.threads.filter((t) => t.functions.some((f) => ids.has(f.functionId) && f.totalSamples > 0));
}

/**
 * The process that called `name` (a pool's caller, say). Forked workers start with a copy of
 * their parent's stack, so they show the caller's frames too: the caller is the one of those
 * processes whose parent is not among them.
 */
function processOf(profile: SampledProfile, name: string): string {
  const keys = new Set(threadsRunning(profile, name).map((t) => t.processKey));
  const roots = profile.processes.filter((p) => keys.has(p.key) && !(p.parentKey && keys.has(p.parentKey)));
  expect(
    roots.map((p) => p.command),
    `one process called ${name}`,
  ).toHaveLength(1);
  return (roots[0] as { key: string }).key;
}

/** The timeline cut to the window where `name` was on a stack. */
function during(timeline: Timeline, name: string): Timeline {
  const window = callWindow(timeline, name);
  expect(window, `${name} on a stack`).not.toBeNull();
  return sliceTimeline(timeline, window as { startUs: number; endUs: number });
}

/**
 * Most lanes (or processes, `by: 'pid'`) at once whose spans pass `keep`. Each span is widened
 * to one sampling interval (a sample stands for the time until the next one), so two lanes
 * sampled busy in the same interval count as together even when their spans are cut short;
 * intervals are merged per lane (or process) first, so widening never counts one twice.
 */
function peakAtOnce(
  timeline: Timeline,
  keep: (span: TimelineSpan) => boolean,
  by: 'lane' | 'pid' = 'lane',
): number {
  const minUs = 1e6 / RATE_HZ;
  const perKey = new Map<number, [number, number][]>();
  for (const span of timeline.spans.filter(keep)) {
    const key = by === 'lane' ? span.lane : (timeline.lanes[span.lane]?.pid ?? -1);
    perKey.set(key, [...(perKey.get(key) ?? []), [span.startUs, span.startUs + Math.max(span.durUs, minUs)]]);
  }
  const edges: [number, number][] = [];
  for (const intervals of perKey.values()) {
    intervals.sort((a, b) => a[0] - b[0]);
    let current: [number, number] | null = null;
    for (const [start, end] of intervals) {
      if (current && start <= current[1]) current[1] = Math.max(current[1], end);
      else {
        if (current) edges.push([current[0], 1], [current[1], -1]);
        current = [start, end];
      }
    }
    if (current) edges.push([current[0], 1], [current[1], -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, delta] of edges) peak = Math.max(peak, (now += delta));
  return peak;
}

const onStack = (name: string) => (span: TimelineSpan) => span.stack.some((frame) => frame.name === name);

/** Most lanes at once inside a call to `name` (whatever their state: running or blocked in it). */
const peakLanesIn = (timeline: Timeline, name: string) => peakAtOnce(timeline, onStack(name));

/** Most processes at once with a thread running Python (holding its GIL). */
const peakProcessesRunning = (timeline: Timeline) =>
  peakAtOnce(timeline, (s) => s.state === 'running', 'pid');

/** A process's main thread (py-spy may not have read its name: its tid is then the process id). */
function isMainThread(profile: SampledProfile, thread: SampledThread): boolean {
  const pid = profile.processes.find((p) => p.key === thread.processKey)?.pid;
  return thread.name === 'MainThread' || thread.tid === pid;
}

/** Worker-side assertions: `hot` ran in threads of the caller's process (threads) or of others (processes). */
function expectHotIn(profile: SampledProfile, hot: string, caller: string, where: 'threads' | 'processes') {
  const callerProcess = processOf(profile, caller);
  const workers = threadsRunning(profile, hot).filter(
    (t) => where === 'processes' || !isMainThread(profile, t),
  );
  const inCaller = workers.filter((t) => t.processKey === callerProcess);
  const elsewhere = workers.filter((t) => t.processKey !== callerProcess);
  if (where === 'threads') {
    expect(inCaller.length, `${hot} in worker threads of the caller's process`).toBeGreaterThanOrEqual(2);
    expect(elsewhere).toHaveLength(0);
  } else {
    expect(
      new Set(elsewhere.map((t) => t.processKey)).size,
      `${hot} in worker processes`,
    ).toBeGreaterThanOrEqual(2);
  }
}

/** `name` was sampled only in the program's main thread, so never twice at once. */
function expectOneAtATimeOnMainThread({ profile, timeline }: Sampled, name: string) {
  const threads = threadsRunning(profile, name);
  expect(threads, `${name} in one thread`).toHaveLength(1);
  expect(isMainThread(profile, threads[0] as SampledThread)).toBe(true);
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
    expectHotIn(starter.profile, 'denoise', 'make_previews', 'threads');
    const pooled = during(starter.timeline, 'make_previews');
    // Several threads are inside denoise at once, but only one process runs Python: they take turns.
    expect(peakLanesIn(pooled, 'denoise')).toBeGreaterThanOrEqual(2);
    expect(peakProcessesRunning(pooled)).toBe(1);
    const fix = of('threads-for-cpu', 'solution');
    expectHotIn(fix.profile, 'denoise', 'make_previews', 'processes');
    const parallel = during(fix.timeline, 'make_previews');
    expect(peakLanesIn(parallel, 'denoise')).toBeGreaterThanOrEqual(2);
    expect(peakProcessesRunning(parallel)).toBeGreaterThanOrEqual(2);
  });

  it('blocking-in-async: the blocking fetch on the event loop thread, one at a time; on the fix in threads at once', () => {
    const starter = of('blocking-in-async', 'starter');
    expectOneAtATimeOnMainThread(starter, 'blocking_fetch');
    const fix = of('blocking-in-async', 'solution');
    const inThreads = threadsRunning(fix.profile, 'blocking_fetch');
    expect(inThreads.length).toBeGreaterThanOrEqual(2);
    expect(inThreads.some((t) => isMainThread(fix.profile, t))).toBe(false);
    expect(peakLanesIn(fix.timeline, 'blocking_fetch')).toBeGreaterThanOrEqual(2);
  });

  it('lost-worker-results: risk_score in the pool worker processes, two at once on both (the bug is lost results, not serial work)', () => {
    for (const side of ['starter', 'solution'] as const) {
      const { profile, timeline } = of('lost-worker-results', side);
      expectHotIn(profile, 'risk_score', 'score_all', 'processes');
      expect(peakLanesIn(during(timeline, 'score_all'), 'risk_score'), side).toBeGreaterThanOrEqual(2);
    }
  });

  it('import-pipeline: downloads one after another and the filter on one CPU; on the fix downloads at once and the filter in worker processes', () => {
    const starter = of('import-pipeline', 'starter');
    expectOneAtATimeOnMainThread(starter, 'blocking_fetch');
    expect(peakLanesIn(starter.timeline, 'flag_chunk')).toBe(1);
    const fix = of('import-pipeline', 'solution');
    expect(peakLanesIn(fix.timeline, 'blocking_fetch')).toBeGreaterThanOrEqual(2);
    expectHotIn(fix.profile, 'flag_chunk', 'flag_impersonators', 'processes');
    expect(peakLanesIn(fix.timeline, 'flag_chunk')).toBeGreaterThanOrEqual(2);
  });
});
