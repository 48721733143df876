/**
 * Pure helpers of the sampled-profile view: threads grouped by process, one thread's function
 * table, and the headline's hottest learner function with the threads it ran in.
 *
 * Units: `...Ms` milliseconds; a sample stands for 1000 / rateHz ms of a thread's time.
 */
import type {
  SampledFunction,
  SampledProcess,
  SampledProfile,
  SampledThread,
} from '../../../src/core/concurrency/sampled-profile.js';

export interface ProcessGroup {
  process: SampledProcess;
  threads: SampledThread[];
}

/** Processes in the profile's order, each with its threads, busiest (most samples) first. */
export function threadsByProcess(profile: Pick<SampledProfile, 'processes' | 'threads'>): ProcessGroup[] {
  const byKey = new Map(profile.threads.map((t) => [t.key, t]));
  return profile.processes.map((process) => ({
    process,
    threads: process.threadKeys
      .map((key) => byKey.get(key))
      .filter((t): t is SampledThread => t !== undefined)
      .sort((a, b) => b.samples - a.samples),
  }));
}

export interface ThreadFunctionRow {
  fn: SampledFunction;
  selfMs: number;
  totalMs: number;
  /** Self samples as a share of the thread's samples (0..1). */
  selfShare: number;
  gilShare: number | null;
}

/** One thread's functions, most self time first, then most total time. */
export function threadFunctionRows(
  profile: Pick<SampledProfile, 'functions' | 'rateHz'>,
  thread: SampledThread,
): ThreadFunctionRow[] {
  const byId = new Map(profile.functions.map((f) => [f.id, f]));
  const msPerSample = profile.rateHz > 0 ? 1000 / profile.rateHz : 0;
  return thread.functions
    .flatMap((row) => {
      const fn = byId.get(row.functionId);
      if (!fn) return [];
      return [
        {
          fn,
          selfMs: row.selfSamples * msPerSample,
          totalMs: row.totalSamples * msPerSample,
          selfShare: thread.samples > 0 ? row.selfSamples / thread.samples : 0,
          gilShare:
            row.gilSamples === null || row.totalSamples === 0 ? null : row.gilSamples / row.totalSamples,
        },
      ];
    })
    .sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs);
}

export interface Hottest {
  fn: SampledFunction;
  selfMs: number;
  /** The threads it ran in (had self samples), most samples first. */
  threads: SampledThread[];
}

/** The learner's hottest function over all threads (the profile's `hot[0]`) and where it ran. */
export function hottestFunction(profile: SampledProfile): Hottest | null {
  const first = profile.hot[0];
  const fn = first && profile.functions.find((f) => f.id === first.functionId);
  if (!first || !fn) return null;
  const ran = profile.threads
    .map((thread) => ({
      thread,
      self: thread.functions.find((f) => f.functionId === fn.id)?.selfSamples ?? 0,
    }))
    .filter((t) => t.self > 0)
    .sort((a, b) => b.self - a.self);
  const selfSamples = ran.reduce((sum, t) => sum + t.self, 0);
  return {
    fn,
    selfMs: profile.rateHz > 0 ? (selfSamples * 1000) / profile.rateHz : 0,
    threads: ran.map((t) => t.thread),
  };
}

/** The thread to show first: where the hottest learner function ran most, else the busiest. */
export function defaultThreadKey(profile: SampledProfile): string | null {
  const hottest = hottestFunction(profile);
  if (hottest?.threads[0]) return hottest.threads[0].key;
  const busiest = [...profile.threads].sort((a, b) => b.samples - a.samples)[0];
  return busiest?.key ?? null;
}

/** "MainThread, worker-1 and 2 more" — names as a learner reads them in a sentence. */
export function nameList(names: readonly string[], max = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  const shown = names.slice(0, max);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
