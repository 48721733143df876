/**
 * "Undecided is not failed" (issue 9, item 4b): a check this machine cannot decide now — too
 * busy to show CPU scaling — is reported as undecided, never failed, after waiting and
 * measuring again within a bound. These tests drive the engine's retry loop with a fake
 * grader (no sandbox): every figure is chosen here. The decisions themselves are tested in
 * core/checks (cpu-scaling.test.ts, speed.test.ts).
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Measurement } from '../core/documents.js';
import type { Exercise } from '../core/exercise.js';
import type { PythonRuntime } from '../core/runtime.js';
import { loadExercise } from '../exercises/load.js';
import type { Runner } from '../runner/runner.js';
import { verifyExercise, type VerifyOptions } from './engine.js';

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

  /**
   * Verifies threads-for-cpu's scaling check with a grader whose n-th measurement sees the
   * n-th capacity (the learner's code scales 1.8×), with the given waits between measurements.
   */
  async function verifyWithCapacities(capacities: number[], options: Partial<VerifyOptions>) {
    let gradeJobs = 0;
    const runner = {
      sandbox: { name: 'fake', isolated: true },
      run: async (request: { mode: string }) => {
        // The timeline's evidence run after the verdict (display only) is no grade job.
        if (request.mode !== 'grade')
          return { message: 'not sampled', sample: null, sampleError: 'fake runner' };
        const capacity = capacities[Math.min(gradeJobs, capacities.length - 1)] as number;
        gradeJobs++;
        return {
          document: { measurements: [scaling([capacity, capacity, capacity], 1 / 1.8)] },
          message: 'the program finished',
          documentError: null,
        };
      },
    } as unknown as Runner;
    const report = await verifyExercise(
      await scalingOnly(),
      {},
      {
        runner,
        runtime,
        gradedLabel: 'solution',
        seed: 1,
        waitsMs: [0, 0],
        ...options,
      },
    );
    return { report, gradeJobs };
  }

  it('waits and measures again (3 measurements), then reports undecided with exit-worthy status', async () => {
    const lines: { line: string; kind?: string }[] = [];
    const { report, gradeJobs } = await verifyWithCapacities([1.1, 1.1, 1.1], {
      onProgress: (line, kind) => lines.push({ line, kind }),
    });
    expect(gradeJobs).toBe(3);
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
    const { report, gradeJobs } = await verifyWithCapacities([1.1, 1.9], {});
    expect(gradeJobs).toBe(2);
    expect(report.status).toBe('passed');
    expect(report.passed).toBe(true);
  });

  it('never waits longer than the budget: a wait past 60 s is not started', async () => {
    const started = performance.now();
    // The second wait would end 61 s after the first one began: past the 60 s budget.
    const { report, gradeJobs } = await verifyWithCapacities([1.1], { waitsMs: [0, 61_000] });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(gradeJobs).toBe(2);
    expect(report.checks[0]).toMatchObject({ status: 'undecided', evidence: { attempts: 2 } });
  });
});
