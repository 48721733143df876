/**
 * The verification engine: grades a learner's files against an exercise. Function-level
 * checks go to the grader (harness mode `grade`), which measures from outside the learner's
 * processes; program-level checks are separate sandbox runs measured by the host. Every
 * decision is a pure function of core/checks (one module per kind); this module only orchestrates:
 * build the grade jobs, run them, measure again until every check is decided, or wait and retry.
 */
import type { GradeCheck, Measurement } from '../core/documents.js';
import type { AuthoredCheck, CheckKind, Exercise, FileTree } from '../core/exercise.js';
import { learnerTree } from '../core/exercise-workspace.js';
import { decideFunctionCheck, isFunctionLevel, unmeasured } from '../core/checks/function-level.js';
import { MAX_SPEED_ROUNDS } from '../core/checks/speed.js';
import { combinedStatus, withStatus, type CheckResult, type VerifyReport } from '../core/verify-report.js';
import type { PythonRuntime } from '../core/runtime.js';
import type { Runner } from '../runner/runner.js';
import { runGrade, toGradeCheck } from './grade-job.js';
import { concurrencyViewer } from './concurrency-evidence.js';
import { attachViews, type Viewer } from './evidence-views.js';
import { memoryPeakViewer } from './memory-flame-evidence.js';
import { programCheck } from './program-checks.js';

export type { CheckResult, VerifyReport };
export type { AllocationSiteEvidence } from '../core/verify-report.js';

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

/** Rounds added each time a speed interval still straddles its threshold below the cap. */
const MORE_SPEED_ROUNDS = 6;
/**
 * Before a check is reported undecided, the verification waits and measures afresh: after
 * the first measurement, wait 5 s and measure, then 15 s and measure (3 measurements), and
 * never start a wait that would end more than 60 s after the first one began.
 */
export const WAITS_MS = [5_000, 15_000] as const;
export const WAIT_BUDGET_MS = 60_000;
/** A bound on grader re-runs of one verification, whatever a broken grader keeps returning. */
const MAX_REMEASUREMENTS = 12;

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

/** An undecided check with how often it was measured and how long the verification waited. */
function withAttempts(check: CheckResult, attempts: number, waitedMs: number): CheckResult {
  return { ...check, evidence: { ...check.evidence, attempts, waitedMs } } as CheckResult;
}

export async function verifyExercise(
  exercise: Exercise,
  edits: FileTree,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const started = performance.now();
  const files = learnerTree(exercise, edits);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const functionChecks = exercise.meta.checks.filter(isFunctionLevel);
  const programChecks = exercise.meta.checks.filter((c) => !isFunctionLevel(c));
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
              options.runner,
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
          results.set(check.id, unmeasured(check, grade.failure));
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
            results.set(
              check.id,
              decision.status === 'undecided' ? withAttempts(decision, attempts, waitedMs) : decision,
            );
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
          results.set(check.id, unmeasured(check, more.failure));
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
  // Display-only views, after every verdict is decided (their runs can change none): the
  // timeline of each concurrency check, the memory flame graph of each per-instance check.
  const views = [concurrencyViewer, memoryPeakViewer] as const;
  for (const viewer of views.map((make) => make(options.runner, exercise, files) as Viewer<CheckKind>))
    await attachViews(exercise, results, viewer, options.onProgress);

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
