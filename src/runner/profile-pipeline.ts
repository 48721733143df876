/**
 * The profile pipeline of `perflab profile` and the web app's Profile button: cProfile, then
 * line timings of the learner's hottest functions, then tracemalloc's allocation sites. The
 * later runs happen only after a clean profile. They print the program's output again, which
 * nobody wants to read twice, so theirs is dropped.
 */
import { hotUserFunctions, type HotUserFunction } from '../core/profile-model.js';
import type { JobReport, JobRequest, Runner } from './runner.js';

/** How many of the learner's functions get line-level timings after a profile. */
export const LINE_PROFILED_FUNCTIONS = 3;

/** A later run about to start; the caller words it for its own progress display. */
export type ProfileStep = { step: 'lines'; functions: string[] } | { step: 'memory' };

export interface ProfilePipelineOptions {
  /** Time each line of the hottest functions. */
  lines: boolean;
  /** Trace allocations, keeping this many top sites and top types; null: no memory run. */
  memoryTop: number | null;
  onStep?: (step: ProfileStep) => void;
}

export interface ProfilePipelineResult {
  profile: JobReport<'profile'>;
  /** The learner's hottest functions, most own time first; empty without a profile document. */
  hot: HotUserFunction[];
  /** Null when not asked for or not run (no clean profile, or no function of the learner's). */
  lines: JobReport<'lines'> | null;
  memory: JobReport<'memory'> | null;
}

/** The program to profile; `onOutput` receives the profiled run's output only. */
export type ProfiledProgram = Omit<JobRequest<'profile'>, 'mode' | 'modeOptions'>;

const ignoreOutput = () => {};

export async function runProfilePipeline(
  runner: Runner,
  program: ProfiledProgram,
  options: ProfilePipelineOptions,
): Promise<ProfilePipelineResult> {
  const profile = await runner.run({ ...program, mode: 'profile' });
  const doc = profile.document;
  const hot = doc ? hotUserFunctions(doc.functions, doc.edges, LINE_PROFILED_FUNCTIONS) : [];
  const result: ProfilePipelineResult = { profile, hot, lines: null, memory: null };
  if (!doc || profile.status !== 'ok') return result;
  const again = { ...program, onOutput: ignoreOutput };
  if (options.lines && hot.length > 0) {
    options.onStep?.({ step: 'lines', functions: hot.map((h) => h.fn.name) });
    const targets = hot.map(({ fn }) => ({ file: fn.file, line: fn.line, name: fn.name }));
    result.lines = await runner.run({ ...again, mode: 'lines', modeOptions: { lines: { targets } } });
  }
  if (options.memoryTop !== null) {
    options.onStep?.({ step: 'memory' });
    const top = options.memoryTop;
    result.memory = await runner.run({
      ...again,
      mode: 'memory',
      modeOptions: { memory: { topSites: top, topTypes: top } },
    });
  }
  return result;
}
