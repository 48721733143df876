/**
 * A profile job with a profiler chosen: cProfile (job-kinds.ts, as before there was a choice),
 * or one of the profilers that see the whole concurrent program — py-spy's samples, VizTracer's
 * timeline, memray — through `runConcurrencyProfile`, the same call as `perflab profile`. The
 * view carries the trimmed models (sampled profile, timeline, memray document without its
 * capture); the trace and capture files stay on the server as downloads.
 */
import type { ArtifactName, Profiler, ProfileResultView } from '../core/api.js';
import { runConcurrencyProfile } from '../runner/concurrency-profile.js';
import type { Runner } from '../runner/runner.js';
import { executeProfile, runResultView, type JobOutcome, type ProgramSpec } from './job-kinds.js';

export async function executeProfileWith(
  runner: Runner,
  spec: ProgramSpec,
  profiler: Profiler,
  onProgress: (line: string) => void,
): Promise<JobOutcome> {
  if (profiler === 'cprofile') return executeProfile(runner, spec, onProgress);
  const profiled = await runConcurrencyProfile(runner, spec, profiler, { onProgress });
  const view: ProfileResultView = {
    profiler,
    run: runResultView(profiled.report),
    profile: null,
    lines: null,
    memory: null,
    hot: [],
    callTree: [],
    sampled: profiled.sampled,
    timeline: profiled.timeline,
    memray: profiled.memray,
    artifacts: Object.keys(profiled.artifacts) as ArtifactName[],
  };
  return {
    result: { kind: 'profile', ...view },
    message: profiled.message,
    passed: null,
    failed: profiled.report.status !== 'ok',
    artifacts: profiled.artifacts,
  };
}
