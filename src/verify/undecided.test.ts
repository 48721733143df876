/**
 * "Undecided is not failed" (issue 9, item 4b): a check this machine cannot decide now — too
 * busy to show CPU scaling, speed timings too noisy after the last round — is reported as
 * undecided, never failed, after waiting and measuring again within a bound. These tests use
 * the engine's pure decision and a fake grader (no sandbox): every figure is chosen here.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Measurement } from '../core/documents.js';
import type { AuthoredCheck, Exercise } from '../core/exercise.js';
import type { PythonRuntime } from '../core/runtime.js';
import { pairedSpeedup } from '../core/verdict.js';
import {
  checkStatus,
  combinedStatus,
  reportStatus,
  type CheckResult,
  type VerifyReport,
} from '../core/verify-report.js';
import { loadExercise } from '../exercises/load.js';
import type { Runner } from '../runner/runner.js';
import {
  MAX_SPEED_ROUNDS,
  decideFunctionCheck,
  speedTooNoisy,
  verifyExercise,
  type NeedsMore,
} from './engine.js';

const scalingCheck = {
  id: 'uses-every-cpu',
  kind: 'cpu-scaling',
  call: 'previews.make_previews',
  input: 'tests/inputs.py:scaling_input',
  serial: 'previews.previews_one_by_one',
  rounds: 3,
} as AuthoredCheck;

const speedCheck = {
  id: 'fast-enough',
  kind: 'speed',
  call: 'pairs.count_pairs',
  input: 'tests/inputs.py:big_input',
  atLeast: 2,
  rounds: 5,
} as AuthoredCheck;

/** Three rounds on 2 CPUs: the serial version takes 1 s, the learner's `learnerS`. */
function scaling(capacity: number[], learnerS: number, cpusAvailable = 2): Measurement {
  return {
    id: 'uses-every-cpu',
    kind: 'cpu-scaling',
    learnerS: capacity.map(() => learnerS),
    serialS: capacity.map(() => 1),
    capacity,
    cpusAvailable,
    resultOk: true,
    error: null,
  };
}

/** Paired rounds whose baseline/candidate ratios are exactly `ratios`. */
function speed(ratios: number[]): Measurement {
  return {
    id: 'fast-enough',
    kind: 'speed',
    baselineS: ratios.map(() => 1),
    candidateS: ratios.map((r) => 1 / r),
    loopsPerSample: 1,
    wrongResult: null,
    error: null,
  };
}

const isResult = (d: CheckResult | NeedsMore): d is CheckResult => !('more' in d);

describe('CPU-scaling decision', () => {
  it('a busy machine (capacity 1.2× of 2 CPUs) asks to wait, then is undecided — not failed', () => {
    const busy = scaling([1.2, 1.15, 1.25], 1 / 1.1);
    const early = decideFunctionCheck(scalingCheck, busy, false);
    expect(early).toMatchObject({ more: 'wait' });
    expect((early as NeedsMore).reason).toContain('too busy to show CPU scaling');

    const last = decideFunctionCheck(scalingCheck, busy, true);
    expect(isResult(last)).toBe(true);
    expect(last).toMatchObject({ status: 'undecided', passed: false });
    expect((last as CheckResult).sentence).toContain('could not be decided');
    expect((last as CheckResult).sentence).toContain('run perflab verify again');
  });

  it('a quiet machine decides as before: parallel code passes, serial code fails', () => {
    const parallel = decideFunctionCheck(scalingCheck, scaling([1.9, 1.95, 1.9], 1 / 1.8), false);
    expect(parallel).toMatchObject({ status: 'passed', passed: true });
    const serial = decideFunctionCheck(scalingCheck, scaling([1.9, 1.95, 1.9], 1 / 1.02), false);
    expect(serial).toMatchObject({ status: 'failed', passed: false });
    // Even at the last round, a clear result is a verdict, never undecided.
    expect(decideFunctionCheck(scalingCheck, scaling([1.9, 1.9, 1.9], 1 / 1.02), true)).toMatchObject({
      status: 'failed',
    });
  });

  it('one CPU is not "too busy": the check is decided (no scaling is asked for)', () => {
    const oneCpu = decideFunctionCheck(scalingCheck, scaling([1, 1, 1], 1 / 0.95, 1), false);
    expect(oneCpu).toMatchObject({ status: 'passed' });
  });
});

describe('speed decision', () => {
  // Ratios swinging between 1.25× and 3.2× around the 2× needed: a machine too noisy to tell.
  const noisy = Array.from(
    { length: MAX_SPEED_ROUNDS },
    (_, i) => (i % 2 === 0 ? 1.25 : 3.2) * (1 + i / 1000),
  );

  it('noise too high after the last round is undecided, not failed (and not passed)', () => {
    const estimate = pairedSpeedup(
      noisy,
      noisy.map(() => 1),
    );
    expect(estimate.low).toBeLessThan(2);
    expect(estimate.high).toBeGreaterThanOrEqual(2);
    expect(speedTooNoisy(estimate)).toBe(true);

    expect(decideFunctionCheck(speedCheck, speed(noisy), false)).toMatchObject({ more: 'wait' });
    const last = decideFunctionCheck(speedCheck, speed(noisy), true);
    expect(last).toMatchObject({ status: 'undecided', passed: false });
    expect((last as CheckResult).sentence).toContain('too noisy');
  });

  it('below the round cap, a straddling interval asks for more rounds at once (no wait)', () => {
    expect(decideFunctionCheck(speedCheck, speed(noisy.slice(0, 7)), false)).toMatchObject({
      more: 'rounds',
    });
  });

  it('a narrow interval around the threshold is a borderline solution: the point estimate decides', () => {
    const borderline = Array.from({ length: MAX_SPEED_ROUNDS }, (_, i) => 2 * (1 + ((i % 5) - 2) * 0.01));
    const estimate = pairedSpeedup(
      borderline,
      borderline.map(() => 1),
    );
    expect(speedTooNoisy(estimate)).toBe(false);
    const decision = decideFunctionCheck(speedCheck, speed(borderline), false);
    expect(decision).toMatchObject({ status: estimate.speedup >= 2 ? 'passed' : 'failed' });
  });

  it('clear results pass and fail as before', () => {
    const fast = Array.from({ length: 5 }, (_, i) => 6 + i * 0.1);
    const slow = Array.from({ length: 5 }, (_, i) => 1 + i * 0.01);
    expect(decideFunctionCheck(speedCheck, speed(fast), false)).toMatchObject({
      status: 'passed',
      passed: true,
    });
    expect(decideFunctionCheck(speedCheck, speed(slow), false)).toMatchObject({
      status: 'failed',
      passed: false,
    });
  });
});

describe('report status', () => {
  it('failed beats undecided beats passed; version 1 reports read by `passed`', () => {
    expect(combinedStatus(['passed', 'undecided', 'passed'])).toBe('undecided');
    expect(combinedStatus(['undecided', 'failed'])).toBe('failed');
    expect(combinedStatus(['passed'])).toBe('passed');
    expect(checkStatus({ passed: false })).toBe('failed');
    expect(checkStatus({ passed: false, status: 'undecided' })).toBe('undecided');
    const v1 = { passed: false, checks: [{ passed: true }, { passed: false }] } as VerifyReport;
    expect(reportStatus(v1)).toBe('failed');
  });
});

describe('verification with a busy machine (fake grader, no sandbox)', () => {
  const root = resolve(import.meta.dirname, '..', '..');
  const runtime = {} as PythonRuntime;

  async function scalingOnly(): Promise<Exercise> {
    const exercise = await loadExercise(join(root, 'course', 'exercises', 'threads-for-cpu'));
    return {
      ...exercise,
      meta: { ...exercise.meta, checks: exercise.meta.checks.filter((c) => c.kind === 'cpu-scaling') },
    };
  }

  /** A grader whose n-th scaling measurement sees the n-th capacity; the learner's code scales 1.8×. */
  function fakeRunner(capacities: number[]): { runner: Runner; gradeJobs: () => number } {
    let jobs = 0;
    const runner = {
      sandbox: { name: 'fake', isolated: true },
      run: async () => {
        const capacity = capacities[Math.min(jobs, capacities.length - 1)] as number;
        jobs++;
        return {
          document: { measurements: [scaling([capacity, capacity, capacity], 1 / 1.8)] },
          message: 'the program finished',
          documentError: null,
        };
      },
    } as unknown as Runner;
    return { runner, gradeJobs: () => jobs };
  }

  it('waits and measures again (3 measurements), then reports undecided with exit-worthy status', async () => {
    const { runner, gradeJobs } = fakeRunner([1.1, 1.1, 1.1]);
    const lines: { line: string; kind?: string }[] = [];
    const report = await verifyExercise(
      await scalingOnly(),
      {},
      {
        runner,
        runtime,
        gradedLabel: 'solution',
        seed: 1,
        waitsMs: [0, 0],
        onProgress: (line, kind) => lines.push({ line, kind }),
      },
    );
    expect(gradeJobs()).toBe(3);
    expect(report.schema).toBe('perflab.verify/2');
    expect(report.status).toBe('undecided');
    expect(report.passed).toBe(false);
    expect(report.checks[0]).toMatchObject({
      status: 'undecided',
      passed: false,
      evidence: { attempts: 3, waitedMs: 0 },
    });
    const waiting = lines.filter((l) => l.kind === 'waiting');
    expect(waiting).toHaveLength(2);
    expect(waiting[0]?.line).toMatch(
      /waiting 0 s before measuring uses-every-cpu again \(attempt 2 of 3\): the machine is too busy/,
    );
  });

  it('decides as soon as the machine is quiet enough, without using every attempt', async () => {
    const { runner, gradeJobs } = fakeRunner([1.1, 1.9]);
    const report = await verifyExercise(
      await scalingOnly(),
      {},
      {
        runner,
        runtime,
        gradedLabel: 'solution',
        seed: 1,
        waitsMs: [0, 0],
      },
    );
    expect(gradeJobs()).toBe(2);
    expect(report.status).toBe('passed');
    expect(report.passed).toBe(true);
  });

  it('never waits longer than the budget: a wait past 60 s is not started', async () => {
    const { runner, gradeJobs } = fakeRunner([1.1]);
    const started = performance.now();
    const report = await verifyExercise(
      await scalingOnly(),
      {},
      {
        runner,
        runtime,
        gradedLabel: 'solution',
        seed: 1,
        // The second wait would end 61 s after the first one began: past the 60 s budget.
        waitsMs: [0, 61_000],
      },
    );
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(gradeJobs()).toBe(2);
    expect(report.checks[0]).toMatchObject({ status: 'undecided', evidence: { attempts: 2 } });
  });
});
