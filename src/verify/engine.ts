/**
 * The verification engine: grades a learner's files against an exercise. Function-level
 * checks go to the grader (harness mode `grade`), which measures from outside the learner's
 * processes; program-level checks are separate sandbox runs measured by the host. Every
 * decision is made here, from raw measurements, with the pure functions of src/core.
 */
import type { GradeCheck, Measurement } from '../core/documents.js';
import type { AuthoredCheck, Exercise, FileTree } from '../core/exercise.js';
import type { CheckResult, VerifyReport } from '../core/verify-report.js';
import { fitGrowth, growthTier, type GrowthFit } from '../core/growth.js';
import { decideSpeedup, pairedSpeedup } from '../core/verdict.js';
import { median } from '../core/stats.js';
import type { PythonRuntime } from '../core/runtime.js';
import type { Runner } from '../runner/runner.js';
import type { JobFile } from '../sandbox/types.js';
import { programCheck } from './program-checks.js';

export type { CheckResult, VerifyReport };
export type { AllocationSiteEvidence } from './program-checks.js';

export interface VerifyOptions {
  runner: Runner;
  runtime: PythonRuntime;
  /** What is graded, for the report: "starter", "solution" or a path. */
  gradedLabel: string;
  /** Seed of the hidden inputs; a fresh one per verification unless fixed for tests. */
  seed?: number;
  onProgress?: (line: string) => void;
}

const FUNCTION_LEVEL = new Set([
  'correctness',
  'speed',
  'growth',
  'memory-per-instance',
  'overlap',
  'cpu-scaling',
]);
const MAX_SPEED_ROUNDS = 25;
/** Re-measurements of a CPU-scaling check when the machine is too busy to show scaling. */
const MAX_SCALING_ATTEMPTS = 3;
/** Below this parallel capacity (speed-up k busy processes get over one), scaling cannot be judged. */
const MIN_CAPACITY_TO_JUDGE = 1.3;
const GRADE_WALL_S = 600;

/** The learner's tree: the starter with the learner's versions of the editable files. */
export function learnerTree(exercise: Exercise, edits: FileTree): JobFile[] {
  const files: JobFile[] = [];
  for (const [path, content] of Object.entries(exercise.starter)) {
    files.push({
      path,
      content: exercise.meta.edit.includes(path) && edits[path] !== undefined ? edits[path] : content,
    });
  }
  for (const [path, content] of Object.entries(exercise.starterData)) files.push({ path, content });
  return files;
}

function toGradeCheck(check: AuthoredCheck, rounds?: number): GradeCheck | null {
  const [inputFile, inputFunction] =
    'input' in check ? (check.input.split(':') as [string, string]) : ['', ''];
  switch (check.kind) {
    case 'correctness':
      return {
        id: check.id,
        kind: 'correctness',
        call: check.call,
        casesFile: check.cases,
        compare: check.compare,
      };
    case 'speed':
      return {
        id: check.id,
        kind: 'speed',
        call: check.call,
        inputFile,
        inputFunction,
        baseline: check.atLeast !== undefined ? 'starter' : 'reference',
        rounds: rounds ?? check.rounds,
      };
    case 'growth':
      return {
        id: check.id,
        kind: 'growth',
        call: check.call,
        inputFile,
        inputFunction,
        sizes: check.sizes,
        repeats: check.repeats,
        withReference: true,
      };
    case 'memory-per-instance':
      return {
        id: check.id,
        kind: 'memory-per-instance',
        call: check.call,
        count: check.count,
        noDict: check.noDict,
      };
    case 'overlap':
      return {
        id: check.id,
        kind: 'overlap',
        call: check.call,
        inputFile,
        inputFunction,
        latencyMs: check.latencyMs,
      };
    case 'cpu-scaling':
      return {
        id: check.id,
        kind: 'cpu-scaling',
        call: check.call,
        inputFile,
        inputFunction,
        serialCall: check.serial,
        rounds: check.rounds,
      };
    default:
      return null;
  }
}

function pythonSources(tree: FileTree): FileTree {
  return Object.fromEntries(Object.entries(tree).filter(([path]) => path.endsWith('.py')));
}

async function runGrade(
  exercise: Exercise,
  files: JobFile[],
  checks: GradeCheck[],
  options: VerifyOptions,
  seed: number,
): Promise<{ measurements: Map<string, Measurement>; failure: string | null }> {
  const hidden = JSON.stringify({
    schema: 'perflab.hidden/1',
    trees: {
      reference: pythonSources({ ...exercise.starter, ...exercise.solution }),
      starter: pythonSources(exercise.starter),
    },
    tests: Object.fromEntries(Object.entries(exercise.tests).map(([path, text]) => [`tests/${path}`, text])),
  });
  const report = await options.runner.run({
    mode: 'grade',
    // Other runs on the same CPUs would make good scaling look bad.
    exclusive: checks.some((c) => c.kind === 'cpu-scaling'),
    files,
    entry: exercise.meta.run ?? (exercise.meta.edit[0] as string),
    hidden,
    modeOptions: { grade: { seed, checks } },
    limits: {
      wallS: GRADE_WALL_S,
      cpuS: GRADE_WALL_S * 2,
      memoryMb: Math.max(1024, exercise.meta.limits.memoryMb ?? 0),
      tasks: 512,
    },
  });
  const measurements = new Map((report.document?.measurements ?? []).map((m) => [m.id, m]));
  const failure = report.document
    ? null
    : `the grader did not finish: ${report.message}${report.documentError ? ` (${report.documentError})` : ''}`;
  return { measurements, failure };
}

const fmt = (x: number) => (x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2));

function decideFunctionCheck(
  check: AuthoredCheck,
  m: Measurement | undefined,
  finalRound: boolean,
): CheckResult | 'more' {
  const title = check.title ?? check.id;
  const result = (
    passed: boolean,
    sentence: string,
    evidence: Record<string, unknown> = {},
  ): CheckResult => ({
    id: check.id,
    kind: check.kind,
    title,
    passed,
    sentence,
    evidence,
  });
  if (!m) return result(false, 'the grader produced no measurement for this check');
  if (m.error) return result(false, m.error, { measurement: m });
  switch (m.kind) {
    case 'correctness': {
      const failed = m.cases.filter((c) => !c.passed);
      if (failed.length === 0)
        return result(true, `all ${m.cases.length} hidden cases match the reference`, {
          cases: m.cases.length,
        });
      const first = failed[0];
      const callName = check.kind === 'correctness' ? (check.call.split('.').pop() as string) : '';
      const shown = (summary: string | undefined) =>
        `${callName}${summary?.startsWith('(') ? '' : ' '}${summary ?? ''}`;
      const detail = first?.error
        ? `${shown(first.argsSummary)} raised ${first.error}`
        : `${shown(first?.argsSummary)} returned ${first?.actualRepr}, expected ${first?.expectedRepr}`;
      return result(
        false,
        `${failed.length} of ${m.cases.length} hidden cases differ from the reference; first: ${detail}`,
        {
          failed: failed.slice(0, 5),
          cases: m.cases.length,
        },
      );
    }
    case 'speed': {
      if (check.kind !== 'speed') break;
      if (m.wrongResult) {
        return result(
          false,
          `returns a wrong result while timed: ${m.wrongResult.argsSummary} gave ${m.wrongResult.actualRepr}, expected ${m.wrongResult.expectedRepr}`,
          {
            wrongResult: m.wrongResult,
          },
        );
      }
      const estimate = pairedSpeedup(m.baselineS, m.candidateS);
      const threshold = check.atLeast ?? 1 / (check.within as number);
      const decision = decideSpeedup(
        estimate,
        threshold,
        finalRound || m.baselineS.length >= MAX_SPEED_ROUNDS,
      );
      if (decision === 'undecided') return 'more';
      const evidence = {
        speedup: estimate.speedup,
        interval: [estimate.low, estimate.high],
        rounds: estimate.rounds,
        baselineMedianS: median(m.baselineS),
        candidateMedianS: median(m.candidateS),
        loopsPerSample: m.loopsPerSample,
        atLeast: check.atLeast ?? null,
        within: check.within ?? null,
      };
      const measured = `${fmt(estimate.speedup)}× (95% interval ${fmt(estimate.low)}–${fmt(estimate.high)}×, ${estimate.rounds} interleaved rounds)`;
      if (check.atLeast !== undefined) {
        return result(
          decision === 'pass',
          `${decision === 'pass' ? '' : 'not yet fast enough: '}${measured} faster than the starter; needs at least ${check.atLeast}×`,
          evidence,
        );
      }
      const slower = 1 / estimate.speedup;
      return result(
        decision === 'pass',
        `${fmt(slower)}× the reference's time (interval ${fmt(1 / estimate.high)}–${fmt(1 / estimate.low)}×); allowed up to ${check.within}×`,
        evidence,
      );
    }
    case 'growth': {
      if (check.kind !== 'growth') break;
      if (m.learner.length < 3)
        return result(false, 'too few sizes finished to fit a growth curve (each call over 5 s?)', {
          measurement: m,
        });
      const learnerFit: GrowthFit = fitGrowth(m.learner.map((p) => ({ n: p.n, time: p.timeS })));
      const referenceFit =
        m.reference && m.reference.length >= 3
          ? fitGrowth(m.reference.map((p) => ({ n: p.n, time: p.timeS })))
          : null;
      const limit = check.max === 'reference' ? (referenceFit?.model ?? 'n') : check.max;
      // A curve cut short because calls got too slow is itself evidence of steep growth.
      const passed = growthTier(learnerFit.model) <= growthTier(limit) && !m.stoppedAtN;
      const ref = referenceFit ? `, the reference like ${referenceFit.model}` : '';
      return result(
        passed,
        `grows like ${learnerFit.model} (log-log slope ${learnerFit.logLogSlope.toFixed(2)})${ref}; allowed: ${limit}${m.stoppedAtN ? `; stopped before n=${m.stoppedAtN} because one call took over 5 s` : ''}`,
        {
          learner: m.learner,
          reference: m.reference ?? null,
          learnerFit,
          referenceFit,
          limit,
        },
      );
    }
    case 'memory-per-instance': {
      if (check.kind !== 'memory-per-instance') break;
      const bytes = m.bytesPerInstance ?? Number.POSITIVE_INFINITY;
      const dictProblem = check.noDict && m.hasDict;
      const passed = bytes <= check.maxBytes && !dictProblem;
      return result(
        passed,
        `${Number.isFinite(bytes) ? bytes.toFixed(0) : '?'} bytes per ${m.className ?? 'instance'} (allowed ${check.maxBytes})` +
          (check.noDict
            ? m.hasDict
              ? '; instances still carry a __dict__'
              : '; no per-instance __dict__'
            : ''),
        { bytesPerInstance: m.bytesPerInstance, hasDict: m.hasDict, className: m.className ?? null },
      );
    }
    case 'overlap': {
      if (check.kind !== 'overlap') break;
      const latencyS = check.latencyMs / 1000;
      const budgetS = latencyS * (1 + check.slack);
      const wall = m.wallS ?? Number.POSITIVE_INFINITY;
      const passed = m.resultOk && wall <= budgetS && m.maxInFlight >= 2;
      const sequentialS = latencyS * check.requests;
      return result(
        passed,
        `${m.requestsServed} blocking calls of ${check.latencyMs} ms took ${fmt(wall)} s with at most ${m.maxInFlight} in flight ` +
          `(one after another would take ${fmt(sequentialS)} s; overlapped should be under ${fmt(budgetS)} s)` +
          (m.resultOk ? '' : '; the results differ from the reference'),
        {
          wallS: m.wallS,
          maxInFlight: m.maxInFlight,
          requestsServed: m.requestsServed,
          budgetS,
          sequentialS,
        },
      );
    }
    case 'cpu-scaling': {
      const pairs = m.learnerS.map((l, i) => (m.serialS[i] as number) / l);
      const speedup = median(pairs);
      // Judged against what the machine could give while measuring, not only its CPU count:
      // another program's load must not fail a correct solution.
      const capacity = m.capacity && m.capacity.length > 0 ? median(m.capacity) : m.cpusAvailable;
      const evidence = {
        speedup,
        capacity,
        cpusAvailable: m.cpusAvailable,
        learnerS: m.learnerS,
        serialS: m.serialS,
      };
      if (m.cpusAvailable >= 2 && capacity < MIN_CAPACITY_TO_JUDGE) {
        if (!finalRound) return 'more';
        return result(
          false,
          `could not be judged: the machine was too busy (${m.cpusAvailable} CPUs, but ${m.cpusAvailable} busy processes ran only ${fmt(capacity)}× faster than one); run perflab verify again when it is quieter`,
          evidence,
        );
      }
      const required = m.cpusAvailable >= 2 ? 1 + 0.4 * (capacity - 1) : 0.8;
      const passed = m.resultOk && speedup >= required;
      return result(
        passed,
        `${fmt(speedup)}× faster than the serial version on ${m.cpusAvailable} CPU${m.cpusAvailable === 1 ? '' : 's'} ` +
          `(the machine could give up to ${fmt(capacity)}×); needs ≥ ${fmt(required)}× here` +
          (m.resultOk ? '' : '; the results differ from the reference'),
        { ...evidence, required },
      );
    }
  }
  return result(false, `measurement kind ${m.kind} does not match the check kind ${check.kind}`);
}

export async function verifyExercise(
  exercise: Exercise,
  edits: FileTree,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const started = performance.now();
  const files = learnerTree(exercise, edits);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const functionChecks = exercise.meta.checks.filter((c) => FUNCTION_LEVEL.has(c.kind));
  const programChecks = exercise.meta.checks.filter((c) => !FUNCTION_LEVEL.has(c.kind));
  const results = new Map<string, CheckResult>();

  const gradeTask = (async () => {
    if (functionChecks.length === 0) return;
    options.onProgress?.(`grading ${functionChecks.map((c) => c.id).join(', ')}`);
    // CPU-scaling checks run in a job of their own, with the machine to themselves.
    const scaling = functionChecks.filter((c) => c.kind === 'cpu-scaling');
    const others = functionChecks.filter((c) => c.kind !== 'cpu-scaling');
    const jobs = await Promise.all(
      [others, scaling]
        .filter((group) => group.length > 0)
        .map((group) =>
          runGrade(
            exercise,
            files,
            group.map((c) => toGradeCheck(c) as GradeCheck),
            options,
            seed,
          ),
        ),
    );
    const grade = {
      measurements: new Map(jobs.flatMap((job) => [...job.measurements])),
      failure: jobs.map((job) => job.failure).find((f) => f !== null) ?? null,
    };
    let pending = functionChecks;
    let measurements = grade.measurements;
    let extraSeed = seed + 1000;
    let attempts = 0;
    for (;;) {
      const undecided: AuthoredCheck[] = [];
      for (const check of pending) {
        if (grade.failure && !measurements.has(check.id)) {
          results.set(check.id, {
            id: check.id,
            kind: check.kind,
            title: check.title ?? check.id,
            passed: false,
            sentence: grade.failure,
            evidence: {},
          });
          continue;
        }
        const decision = decideFunctionCheck(check, measurements.get(check.id), false);
        if (decision === 'more') undecided.push(check);
        else results.set(check.id, decision);
      }
      if (undecided.length === 0) return;
      // Noise left a speed interval straddling its threshold, or the machine was too busy to
      // show CPU scaling: measure again (speed rounds are added; scaling is re-measured).
      options.onProgress?.(`measuring more rounds for ${undecided.map((c) => c.id).join(', ')}`);
      const more = await runGrade(
        exercise,
        files,
        undecided.map((c) => toGradeCheck(c, 6) as GradeCheck),
        options,
        extraSeed,
      );
      extraSeed += 1000;
      const merged = new Map(measurements);
      for (const check of undecided) {
        const before = measurements.get(check.id);
        const after = more.measurements.get(check.id);
        if (before?.kind === 'speed' && after?.kind === 'speed') {
          merged.set(check.id, {
            ...after,
            baselineS: [...before.baselineS, ...after.baselineS],
            candidateS: [...before.candidateS, ...after.candidateS],
          });
        } else if (after) merged.set(check.id, after);
      }
      measurements = merged;
      pending = undecided;
      attempts++;
      const done = undecided.every((c) => {
        const m = measurements.get(c.id);
        if (m?.kind === 'speed') return m.baselineS.length >= MAX_SPEED_ROUNDS;
        return attempts >= MAX_SCALING_ATTEMPTS;
      });
      if (done) {
        for (const check of undecided) {
          const decision = decideFunctionCheck(check, measurements.get(check.id), true);
          if (decision !== 'more') results.set(check.id, decision);
        }
        return;
      }
    }
  })();

  const programTasks = programChecks.map(async (check) => {
    options.onProgress?.(`running ${check.id}`);
    results.set(check.id, await programCheck(check, exercise, files, { ...options, seed }));
  });
  await Promise.all([gradeTask, ...programTasks]);

  const checks = exercise.meta.checks.map((c) => results.get(c.id) as CheckResult);
  return {
    schema: 'perflab.verify/1',
    exercise: exercise.meta.id,
    graded: options.gradedLabel,
    passed: checks.every((c) => c.passed),
    checks,
    sandbox: options.runner.sandbox.name,
    isolated: options.runner.sandbox.isolated,
    wallMs: performance.now() - started,
  };
}
