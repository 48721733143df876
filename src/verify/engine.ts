/**
 * The verification engine: grades a learner's files against an exercise. Function-level
 * checks go to the grader (harness mode `grade`), which measures from outside the learner's
 * processes; program-level checks are separate sandbox runs measured by the host. Every
 * decision is made here, from raw measurements, with the pure functions of src/core.
 */
import type { GradeCheck, Measurement } from '../core/documents.js';
import type { AuthoredCheck, Exercise, FileTree } from '../core/exercise.js';
import { combinedStatus, withStatus, type CheckResult, type VerifyReport } from '../core/verify-report.js';
import { fitGrowth, growthTier, type GrowthFit } from '../core/growth.js';
import { decideSpeedup, pairedSpeedup, type SpeedupEstimate } from '../core/verdict.js';
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
  /**
   * A line on what the verification is doing. `waiting`: it is waiting before measuring
   * again because the machine is too busy to decide a check (the CLI prints these lines).
   */
  onProgress?: (line: string, kind?: 'waiting') => void;
  /** Waits before each fresh measurement of a check the machine could not decide (default WAITS_MS). */
  waitsMs?: readonly number[];
}

const FUNCTION_LEVEL = new Set([
  'correctness',
  'speed',
  'growth',
  'memory-per-instance',
  'overlap',
  'cpu-scaling',
]);
export const MAX_SPEED_ROUNDS = 25;
/** Rounds added each time a speed interval still straddles its threshold below the cap. */
const MORE_SPEED_ROUNDS = 6;
/** Below this parallel capacity (speed-up k busy processes get over one), scaling cannot be judged. */
export const MIN_CAPACITY_TO_JUDGE = 1.3;
/**
 * At the round cap, a 95% speed-up interval wider than this ratio (high / low) that still
 * straddles the threshold is noise, and the check is undecided; a narrower one is a
 * borderline solution, decided by the point estimate.
 */
export const MAX_DECIDABLE_SPREAD = 1.25;
/**
 * Before a check is reported undecided, the verification waits and measures afresh: after
 * the first measurement, wait 5 s and measure, then 15 s and measure (3 measurements), and
 * never start a wait that would end more than 60 s after the first one began.
 */
export const WAITS_MS = [5_000, 15_000] as const;
export const WAIT_BUDGET_MS = 60_000;
/** A bound on grader re-runs of one verification, whatever a broken grader keeps returning. */
const MAX_REMEASUREMENTS = 12;
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
    // On the hidden pipe, not in the job file: learner code can read the job file, and the
    // seed with the course's public input functions would give it every hidden input.
    seed,
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
    modeOptions: { grade: { checks } },
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

/** Is a speed-up interval too wide to decide by its point estimate? (see MAX_DECIDABLE_SPREAD) */
export function speedTooNoisy(estimate: SpeedupEstimate): boolean {
  return estimate.high / estimate.low > MAX_DECIDABLE_SPREAD;
}

/**
 * Test-only knobs, read from the host's environment (the perflab process, never the
 * sandbox's: learner code cannot set them). PERFLAB_TEST_SCALING_CAPACITY replaces every
 * measured parallel capacity of a CPU-scaling check (e.g. 1.0: "the machine is too busy"),
 * so a test can force an undecided check; PERFLAB_TEST_VERIFY_WAITS_MS ("0,0") replaces the
 * waits between measurements.
 */
function testCapacity(): number | null {
  const value = Number(process.env.PERFLAB_TEST_SCALING_CAPACITY ?? Number.NaN);
  return Number.isFinite(value) && value > 0 ? value : null;
}

function waitsFromEnvironment(): number[] | null {
  const text = process.env.PERFLAB_TEST_VERIFY_WAITS_MS;
  if (text === undefined) return null;
  const waits = text.split(',').map(Number);
  return waits.every((w) => Number.isFinite(w) && w >= 0) ? waits : null;
}

function withTestCapacity(measurements: Map<string, Measurement>): Map<string, Measurement> {
  const capacity = testCapacity();
  if (capacity === null) return measurements;
  return new Map(
    [...measurements].map(([id, m]) => [
      id,
      m.kind === 'cpu-scaling' ? { ...m, capacity: m.learnerS.map(() => capacity) } : m,
    ]),
  );
}

/**
 * A check the measurement so far cannot decide. `rounds`: a speed interval still straddles
 * its threshold below the round cap; more rounds now narrow it. `wait`: the machine is too
 * busy or noisy to decide right now (too little parallel capacity to show CPU scaling, or a
 * speed interval still wide at the round cap); waiting and measuring afresh may decide it.
 */
export interface NeedsMore {
  more: 'rounds' | 'wait';
  /** Why, for the progress line: "the machine is too busy to show CPU scaling (…)". */
  reason: string;
}

/**
 * Decides one function-level check from its measurement. Pure: no sandbox, no clock.
 * `finalRound`: no more measurements will be taken, so a check this machine could not decide
 * becomes `undecided` (never `failed`: "never fail a learner on noise").
 */
export function decideFunctionCheck(
  check: AuthoredCheck,
  m: Measurement | undefined,
  finalRound: boolean,
): CheckResult | NeedsMore {
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
    status: passed ? 'passed' : 'failed',
    sentence,
    evidence,
  });
  const undecided = (sentence: string, evidence: Record<string, unknown>): CheckResult => ({
    id: check.id,
    kind: check.kind,
    title,
    passed: false,
    status: 'undecided',
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
      const atRoundCap = m.baselineS.length >= MAX_SPEED_ROUNDS;
      let decision = decideSpeedup(estimate, threshold, false);
      const straddles = `${fmt(estimate.low)}–${fmt(estimate.high)}× straddles the ${fmt(threshold)}× needed after ${estimate.rounds} rounds`;
      if (decision === 'undecided') {
        if (!atRoundCap && !finalRound)
          return { more: 'rounds', reason: `the speed-up's 95% interval ${straddles}` };
        if (speedTooNoisy(estimate)) {
          if (!finalRound)
            return { more: 'wait', reason: `the timings are too noisy to decide (interval ${straddles})` };
          return undecided(
            `could not be decided on this machine now: the timings were too noisy (95% interval ${straddles}); ` +
              'this says nothing against your code — run perflab verify again when the machine is quieter',
            {
              speedup: estimate.speedup,
              interval: [estimate.low, estimate.high],
              rounds: estimate.rounds,
              baselineMedianS: median(m.baselineS),
              candidateMedianS: median(m.candidateS),
              atLeast: check.atLeast ?? null,
              within: check.within ?? null,
            },
          );
        }
        // A narrow interval around the threshold is a borderline solution, not noise: the
        // point estimate decides, as it always has at the round cap.
        decision = estimate.speedup >= threshold ? 'pass' : 'fail';
      }
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
        const busy = `${m.cpusAvailable} CPUs, but ${m.cpusAvailable} busy processes ran only ${fmt(capacity)}× faster than one`;
        if (!finalRound)
          return { more: 'wait', reason: `the machine is too busy to show CPU scaling (${busy})` };
        return undecided(
          `could not be decided on this machine now: it was too busy to show CPU scaling (${busy}); ` +
            'this says nothing against your code — run perflab verify again when the machine is quieter',
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

/** A check the grader did not finish: the grader's own sentence is the verdict. */
function graderFailed(check: AuthoredCheck, sentence: string): CheckResult {
  return {
    id: check.id,
    kind: check.kind,
    title: check.title ?? check.id,
    passed: false,
    status: 'failed',
    sentence,
    evidence: {},
  };
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
    const measure = async (checks: AuthoredCheck[], rounds: (c: AuthoredCheck) => number | undefined) => {
      const scaling = checks.filter((c) => c.kind === 'cpu-scaling');
      const others = checks.filter((c) => c.kind !== 'cpu-scaling');
      const jobSeed = nextSeed;
      nextSeed += 1000;
      const jobs = await Promise.all(
        [others, scaling]
          .filter((group) => group.length > 0)
          .map((group) =>
            runGrade(
              exercise,
              files,
              group.map((c) => toGradeCheck(c, rounds(c)) as GradeCheck),
              options,
              jobSeed,
            ),
          ),
      );
      return {
        measurements: withTestCapacity(new Map(jobs.flatMap((job) => [...job.measurements]))),
        failure: jobs.map((job) => job.failure).find((f) => f !== null) ?? null,
      };
    };
    let nextSeed = seed;
    const grade = await measure(functionChecks, () => undefined);
    let measurements = grade.measurements;
    const waitsMs = options.waitsMs ?? waitsFromEnvironment() ?? WAITS_MS;
    /** Measurements taken of the checks that had to wait (1 = only the first). */
    let attempts = 1;
    let waitedMs = 0;
    let firstWaitAt: number | null = null;
    let remeasurements = 0;
    let pending = functionChecks;
    for (;;) {
      const final = remeasurements >= MAX_REMEASUREMENTS;
      const needRounds: AuthoredCheck[] = [];
      const needWait: { check: AuthoredCheck; reason: string }[] = [];
      for (const check of pending) {
        if (grade.failure && !measurements.has(check.id)) {
          results.set(check.id, graderFailed(check, grade.failure));
          continue;
        }
        const decision = decideFunctionCheck(check, measurements.get(check.id), final);
        if (!('more' in decision)) results.set(check.id, decision);
        else if (decision.more === 'rounds') needRounds.push(check);
        else needWait.push({ check, reason: decision.reason });
      }
      pending = [...needRounds, ...needWait.map((w) => w.check)];
      if (pending.length === 0) return;
      let fresh: AuthoredCheck[];
      if (needRounds.length > 0) {
        // A speed interval straddles its threshold: add rounds now (no wait), merged below.
        options.onProgress?.(`measuring more rounds for ${needRounds.map((c) => c.id).join(', ')}`);
        fresh = needRounds;
      } else {
        // Only checks this machine is too busy or noisy to decide right now: wait, then
        // measure them afresh — within a bound, after which they are reported undecided.
        const waitMs = waitsMs[attempts - 1];
        const now = performance.now();
        const withinBudget = waitMs !== undefined && now + waitMs - (firstWaitAt ?? now) <= WAIT_BUDGET_MS;
        if (!withinBudget) {
          for (const { check } of needWait) {
            const decision = decideFunctionCheck(check, measurements.get(check.id), true);
            if ('more' in decision) continue; // never: a final decision is a result
            const evidence = decision.status === 'undecided' ? { attempts, waitedMs } : {};
            results.set(check.id, { ...decision, evidence: { ...decision.evidence, ...evidence } });
          }
          return;
        }
        firstWaitAt ??= now;
        const why = [...new Set(needWait.map((w) => w.reason))].join('; ');
        options.onProgress?.(
          `waiting ${(waitMs / 1000).toFixed(0)} s before measuring ${needWait.map((w) => w.check.id).join(', ')} again ` +
            `(attempt ${attempts + 1} of ${waitsMs.length + 1}): ${why}`,
          'waiting',
        );
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        waitedMs += waitMs;
        attempts++;
        fresh = needWait.map((w) => w.check);
        options.onProgress?.(`measuring ${fresh.map((c) => c.id).join(', ')} again`);
      }
      remeasurements++;
      const merging = needRounds.length > 0;
      const more = await measure(fresh, (c) =>
        c.kind === 'speed' ? (merging ? MORE_SPEED_ROUNDS : MAX_SPEED_ROUNDS) : undefined,
      );
      const merged = new Map(measurements);
      for (const check of fresh) {
        const before = measurements.get(check.id);
        const after = more.measurements.get(check.id);
        if (more.failure && !after) {
          // The grader itself did not finish this time: that is the verdict, as for the first run.
          results.set(check.id, graderFailed(check, more.failure));
          pending = pending.filter((c) => c.id !== check.id);
          continue;
        }
        if (merging && before?.kind === 'speed' && after?.kind === 'speed') {
          merged.set(check.id, {
            ...after,
            baselineS: [...before.baselineS, ...after.baselineS],
            candidateS: [...before.candidateS, ...after.candidateS],
          });
          // A fresh measurement replaces one taken while the machine was too busy.
        } else if (after) merged.set(check.id, after);
      }
      measurements = merged;
    }
  })();

  const programTasks = programChecks.map(async (check) => {
    options.onProgress?.(`running ${check.id}`);
    results.set(check.id, await programCheck(check, exercise, files, { ...options, seed }));
  });
  await Promise.all([gradeTask, ...programTasks]);

  const checks = exercise.meta.checks.map((c) => withStatus(results.get(c.id) as CheckResult));
  const status = combinedStatus(checks.map((c) => c.status));
  return {
    schema: 'perflab.verify/2',
    exercise: exercise.meta.id,
    graded: options.gradedLabel,
    // Undecided is not passed: the exercise is solved only when every check passed.
    passed: status === 'passed',
    status,
    checks,
    sandbox: options.runner.sandbox.name,
    isolated: options.runner.sandbox.isolated,
    wallMs: performance.now() - started,
  };
}
