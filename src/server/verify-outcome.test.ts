/**
 * A web verification whose only open check is undecided (issue 9, item 4b) has no pass/fail
 * verdict: `passed: null`, so job-routes records the exercise as attempted, never solved, and
 * the history shows it apart from failed ones. Fake grader, no sandbox.
 */
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PythonRuntime } from '../core/runtime.js';
import { loadExercise } from '../exercises/load.js';
import type { Runner } from '../runner/runner.js';
import { executeVerify } from './job-kinds.js';

const root = resolve(import.meta.dirname, '..', '..');

/** A grader measuring threads-for-cpu's checks: correct results, scaling 1.8× on `capacity`. */
function fakeRunner(capacity: number): Runner {
  return {
    sandbox: { name: 'fake', isolated: true },
    run: async () => ({
      document: {
        measurements: [
          { id: 'same-previews', kind: 'correctness', cases: [{ passed: true }], error: null },
          {
            id: 'uses-every-cpu',
            kind: 'cpu-scaling',
            learnerS: [1 / 1.8, 1 / 1.8, 1 / 1.8],
            serialS: [1, 1, 1],
            capacity: [capacity, capacity, capacity],
            cpusAvailable: 2,
            resultOk: true,
            error: null,
          },
        ],
      },
      message: 'the program finished',
      documentError: null,
    }),
  } as unknown as Runner;
}

describe('a web verification on a busy machine', () => {
  beforeEach(() => {
    process.env.PERFLAB_TEST_VERIFY_WAITS_MS = '0';
  });
  afterEach(() => {
    delete process.env.PERFLAB_TEST_VERIFY_WAITS_MS;
  });

  it('is neither passed nor failed, says so, and reports its waiting on the job stream', async () => {
    const exercise = await loadExercise(join(root, 'course', 'exercises', 'threads-for-cpu'));
    const progress: string[] = [];
    const busy = await executeVerify(fakeRunner(1.1), {} as PythonRuntime, exercise, {}, (line) =>
      progress.push(line),
    );
    expect(busy.passed).toBeNull();
    expect(busy.message).toMatch(/1 of 2 checks could not be decided on this machine now \(none failed\)/);
    expect(progress.some((line) => /^waiting 0 s before measuring uses-every-cpu again/.test(line))).toBe(
      true,
    );

    const quiet = await executeVerify(fakeRunner(1.9), {} as PythonRuntime, exercise, {}, () => undefined);
    expect(quiet.passed).toBe(true);
  });
});
