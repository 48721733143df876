/**
 * What each kind of web job does, from a request to a JobResultView: run, profile (cProfile,
 * then line timings of the hottest functions, then tracemalloc), timeit, verify and lesson
 * blocks. The browser gets trimmed views; raw pstats bytes stay on the server as artifacts.
 */
import type {
  ArtifactName,
  BlockResultView,
  JobResultView,
  ProfileResultView,
  RunResultView,
  TimeitResultView,
} from '../core/api.js';
import type { LessonBlock } from '../core/course.js';
import type { Exercise, FileTree } from '../core/exercise.js';
import { buildCallTree } from '../core/profile-model.js';
import type { PythonRuntime } from '../core/runtime.js';
import { formatRatio } from '../core/format.js';
import { buildTimeitReport } from '../core/timeit-report.js';
import { checkStatus, type VerifyReport } from '../core/verify-report.js';
import { checkBlock, checkProfileBlock } from '../course/check-blocks.js';
import { runProfilePipeline } from '../runner/profile-pipeline.js';
import type { AnyJobReport, Runner } from '../runner/runner.js';
import type { ResourceLimits } from '../sandbox/limits.js';
import type { JobFile, StdinSpec } from '../sandbox/types.js';
import { verifyExercise } from '../verify/engine.js';

/** Allocation sites and object types a profile job's memory view keeps. */
const MEMORY_TOP = 15;

export interface JobOutcome {
  result: JobResultView;
  /** One sentence: what happened. */
  message: string;
  /** For verifications: did every check pass (null: none failed, but one is undecided). */
  passed: boolean | null;
  failed: boolean;
  /** Files kept for download (server/artifacts.ts), not sent in the job view. */
  artifacts?: Partial<Record<ArtifactName, Buffer>>;
}

export interface ProgramSpec {
  files: JobFile[];
  entry: string;
  argv: string[];
  stdin: StdinSpec;
  limits: Partial<ResourceLimits>;
}

export function runResultView(report: AnyJobReport): RunResultView {
  return {
    status: report.status,
    message: report.message,
    exitCode: report.exitCode,
    signal: report.signal,
    limitHit: report.limitHit,
    wallMs: report.outcome.wallMs,
    cpuMs: report.outcome.cpuMs,
    peakMemoryKb: report.peakMemoryKb,
    queueWaitMs: report.queueWaitMs,
    cpusAvailable: report.document?.cpusAvailable ?? report.outcome.cpusAvailable,
    sandbox: report.outcome.backend,
    isolated: report.outcome.isolated,
    exception: report.document?.exception ?? null,
    hang: report.hang,
  };
}

function failedRun(report: AnyJobReport): boolean {
  return report.status !== 'ok';
}

export async function executeRun(runner: Runner, spec: ProgramSpec): Promise<JobOutcome> {
  const report = await runner.run({ ...spec, mode: 'run' });
  return {
    result: { kind: 'run', run: runResultView(report) },
    message: report.message,
    passed: null,
    failed: failedRun(report),
  };
}

export async function executeProfile(
  runner: Runner,
  spec: ProgramSpec,
  onProgress: (line: string) => void,
  /** The web job runs everything; a drill's recorded output only what its flags ask for. */
  runs: { lines: boolean; memory: boolean } = { lines: true, memory: true },
): Promise<JobOutcome> {
  onProgress(`profiling ${spec.entry} with cProfile`);
  const { profile, hot, lines, memory } = await runProfilePipeline(runner, spec, {
    lines: runs.lines,
    memoryTop: runs.memory ? MEMORY_TOP : null,
    onStep: (step) =>
      onProgress(
        step.step === 'lines'
          ? `timing each line of ${step.functions.join(', ')}`
          : 'tracing allocations with tracemalloc',
      ),
  });
  const doc = profile.document;
  const view: ProfileResultView = {
    profiler: 'cprofile',
    run: runResultView(profile),
    profile: null,
    lines: lines?.document ?? null,
    memory: memory?.document ?? null,
    hot: hot.map((h) => ({ functionId: h.fn.id, ownLinesMs: h.ownLinesMs })),
    callTree: doc ? buildCallTree(doc.functions, doc.edges) : [],
    // The speedscope file is made from the profile when it is asked for (job-routes.ts).
    artifacts: doc ? ['profile.prof', 'profile.speedscope.json'] : [],
  };
  if (doc) {
    const { pstatsBase64: _raw, ...rest } = doc;
    view.profile = rest;
  }
  const hottest = hot[0]?.fn;
  const message =
    profile.status === 'ok' && hottest
      ? `profiled: most time in your code is in ${hottest.name} (${hottest.file}:${hottest.line})`
      : profile.message;
  return {
    result: { kind: 'profile', ...view },
    message,
    passed: null,
    failed: failedRun(profile),
    artifacts: doc ? { 'profile.prof': Buffer.from(doc.pstatsBase64, 'base64') } : undefined,
  };
}

export async function executeTimeit(
  runner: Runner,
  spec: ProgramSpec,
  candidates: string[],
): Promise<JobOutcome> {
  const report = await runner.run({
    ...spec,
    mode: 'timeit',
    modeOptions: { timeit: { candidates, rounds: 5, minBatchS: 0.2, gcEnabled: false } },
    limits: { wallS: 120, ...spec.limits },
  });
  const view: TimeitResultView = {
    run: runResultView(report),
    gcEnabled: report.document?.gcEnabled ?? null,
    // No candidates when one could not be timed: the report's message names each and why.
    report: report.document?.candidates.length ? buildTimeitReport(report.document.candidates) : null,
  };
  const message = view.report
    ? `fastest: ${view.report.fastest}; ${view.report.candidates
        .filter((c) => c.expr !== view.report?.fastest)
        .map((c) => `${c.expr} takes ${formatRatio(c.relativeToFastest.ratio)}`)
        .join(', ')}`
    : report.message;
  return { result: { kind: 'timeit', ...view }, message, passed: null, failed: failedRun(report) };
}

export async function executeVerify(
  runner: Runner,
  runtime: PythonRuntime,
  exercise: Exercise,
  edits: FileTree,
  onProgress: (line: string) => void,
): Promise<JobOutcome> {
  const report = await verifyExercise(exercise, edits, {
    runner,
    runtime,
    gradedLabel: 'your code',
    onProgress,
  });
  return verifyOutcome(report);
}

/** A verification's job outcome: also what `perflab verify` records in the job history. */
export function verifyOutcome(report: VerifyReport): JobOutcome {
  const failing = report.checks.filter((c) => checkStatus(c) === 'failed');
  const undecided = report.checks.filter((c) => checkStatus(c) === 'undecided');
  // `passed` stays false for an undecided report: the exercise is solved only when every check passed.
  const message = report.passed
    ? `all ${report.checks.length} checks pass`
    : failing.length > 0
      ? `${failing.length} of ${report.checks.length} checks fail: ${failing.map((c) => c.id).join(', ')}`
      : `${undecided.length} of ${report.checks.length} checks could not be decided on this machine now (none failed): ${undecided.map((c) => c.id).join(', ')}; verify again when it is quieter`;
  // passed: null when undecided (no pass/fail verdict): the history shows it apart, and the
  // exercise is only marked attempted.
  const passed = failing.length === 0 && undecided.length > 0 ? null : report.passed;
  return { result: { kind: 'verify', verify: report }, message, passed, failed: false };
}

/**
 * A lesson's runnable example: run blocks are compared with their expected output; profile
 * blocks also carry their claims' verdicts and the profiler's views to draw.
 */
export async function executeBlock(runner: Runner, block: LessonBlock): Promise<JobOutcome> {
  const profiled = block.kind === 'profile' ? await checkProfileBlock(runner, block) : null;
  const checked = profiled ?? (await checkBlock(runner, block));
  const report = checked.report;
  const view: BlockResultView = {
    run: runResultView(report),
    gcEnabled: report.mode === 'timeit' ? (report.document?.gcEnabled ?? null) : null,
    ok: checked.ok,
    detail: checked.detail,
    timeit:
      report.mode === 'timeit' && report.document?.candidates.length
        ? buildTimeitReport(report.document.candidates)
        : null,
    ...(profiled && block.kind === 'profile'
      ? {
          profiler: block.profiler,
          claims: profiled.claims.map(({ text, ok, detail }) => ({ text, ok, detail })),
          sampled: profiled.sampled,
          timeline: profiled.timeline,
          memray: profiled.memray,
        }
      : {}),
  };
  return { result: { kind: 'block', ...view }, message: checked.detail, passed: checked.ok, failed: false };
}
