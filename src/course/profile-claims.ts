/**
 * Deciding a profile block's claims (core/course.ts, ProfileClaim) on the views of one run.
 * Every decision rests on structure — which function, in which kind of thread, how many lanes
 * at once — never on a duration, so a slow or busy machine cannot flip it.
 *
 * Trust: these claims are about the course's own example programs (authors' code); VizTracer's
 * and memray's documents come from inside the run, which is fine for content checks and is why
 * no learner verdict rests on them.
 */
import type { ProfileClaim } from '../core/course.js';
import type { SampledProfile, SampledThread } from '../core/concurrency/sampled-profile.js';
import type { LaneState, Timeline } from '../core/concurrency/timeline.js';
import { peakConcurrency } from '../core/concurrency/timeline-overlap.js';
import { peakSite, type ConcurrencyProfileResult } from '../runner/concurrency-profile.js';

export interface ClaimVerdict {
  text: string;
  line: number;
  ok: boolean;
  /** What the run showed, in a sentence (the same for a kept and a broken claim). */
  detail: string;
}

export type ClaimViews = Pick<ConcurrencyProfileResult, 'sampled' | 'timeline' | 'memray'>;

type Where = 'threads' | 'processes' | 'main-thread';
const WHERE_WORDS: Record<Where, string> = {
  threads: 'worker threads',
  processes: 'child processes',
  'main-thread': 'the main thread',
};

/** `name` as written in a claim matches a function name or the last part of a qualified one. */
function sameFunction(actual: string, claimed: string): boolean {
  return actual === claimed || actual.endsWith(`.${claimed}`);
}

/** Child process, worker thread of the first process, or its main thread (tid = pid on Linux). */
function whereThreadRan(profile: SampledProfile, thread: SampledThread): Where {
  const process = profile.processes.find((p) => p.key === thread.processKey);
  if (process?.parentKey) return 'processes';
  const main = thread.tid !== null && process ? thread.tid === process.pid : thread.name === 'MainThread';
  return main ? 'main-thread' : 'threads';
}

function decideHot(claim: Extract<ProfileClaim, { kind: 'hot' }>, sampled: SampledProfile | null): [boolean, string] {
  if (!sampled) return [false, 'the run has no sampled profile'];
  const top = sampled.hot[0];
  const fn = top && sampled.functions.find((f) => f.id === top.functionId);
  if (!fn) return [false, `no sample landed in the example's own code (${sampled.sampleCount} samples)`];
  // Where the hottest function spent its self samples, by kind of thread; the largest share wins.
  const samplesBy = new Map<Where, number>();
  for (const thread of sampled.threads) {
    const self = thread.functions.find((f) => f.functionId === fn.id)?.selfSamples ?? 0;
    if (self === 0) continue;
    const where = whereThreadRan(sampled, thread);
    samplesBy.set(where, (samplesBy.get(where) ?? 0) + self);
  }
  const [mostly] = [...samplesBy.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['main-thread'];
  const shown = `the hottest function of the example's code is ${fn.name}, mostly in ${WHERE_WORDS[mostly]}`;
  const ok = sameFunction(fn.name, claim.name) && (claim.where === null || claim.where === mostly);
  return [ok, shown];
}

const DEFAULT_STATES: LaneState[] = ['running', 'waiting-io'];

function decideConcurrency(
  claim: Extract<ProfileClaim, { kind: 'concurrency' }>,
  timeline: Timeline | null,
): [boolean, string] {
  if (!timeline) return [false, 'the run has no timeline'];
  const states = claim.state ? [claim.state] : DEFAULT_STATES;
  const peaks = states.map((state) => ({ state, ...peakConcurrency(timeline, state) }));
  const peak = peaks.reduce((a, b) => (b.lanes > a.lanes ? b : a));
  const ok = claim.overlapping ? peak.lanes >= claim.atLeast : peak.lanes <= 1;
  const at = (peak.atUs / 1000).toFixed(0);
  return [ok, `at most ${peak.lanes} ${peak.lanes === 1 ? 'lane was' : 'lanes were'} ${peak.state} at once (at ${at} ms)`];
}

function decidePeakIn(name: string, memray: ClaimViews['memray']): [boolean, string] {
  if (!memray) return [false, 'the run has no memray result'];
  const site = peakSite(memray.peakTree);
  if (!site || site.origin !== 'user') return [false, 'the peak was not allocated in the example\'s own code'];
  return [sameFunction(site.name, name), `most of the peak was allocated in ${site.name}`];
}

function decideLeakIn(name: string, memray: ClaimViews['memray']): [boolean, string] {
  if (!memray) return [false, 'the run has no memray result'];
  // Largest first; the first with a frame of the example's code, named by its innermost such frame.
  for (const leak of memray.leaks) {
    const frame = leak.frames.find((f) => f.origin === 'user');
    if (frame) return [sameFunction(frame.name, name), `the largest memory never freed was allocated in ${frame.name}`];
  }
  return [false, `nothing the example's code allocated was left unfreed (${memray.leaks.length} leaks listed)`];
}

export function decideClaim(claim: ProfileClaim, views: ClaimViews): ClaimVerdict {
  const [ok, detail] =
    claim.kind === 'hot'
      ? decideHot(claim, views.sampled)
      : claim.kind === 'concurrency'
        ? decideConcurrency(claim, views.timeline)
        : claim.kind === 'peak-in'
          ? decidePeakIn(claim.name, views.memray)
          : decideLeakIn(claim.name, views.memray);
  return { text: claim.text, line: claim.line, ok, detail };
}
