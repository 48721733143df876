/**
 * A failed memory check says where the memory went: the engine runs the program once more
 * under tracemalloc and names the allocation sites at the peak. Built-in course exercises,
 * real sandbox, real Python.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExercise } from '../exercises/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { availableSandboxes, runtime } from '../test-support/sandboxes.js';
import { verifyExercise } from './engine.js';

const sandbox = (availableSandboxes()[0] as { make: () => import('../sandbox/types.js').Sandbox }).make();
const queue = createMemoryQueue({ concurrency: 2 });
const runner = new Runner(sandbox, queue);
afterAll(() => queue.close());

/** The check's result, and the modes of every run the verification made. */
async function memoryCheckOf(exerciseId: string, checkId: string, solved: boolean) {
  const exercise = await loadExercise(join(PROJECT_ROOT, 'course', 'exercises', exerciseId));
  const files = solved ? exercise.solution : {};
  const modes: string[] = [];
  const countingRunner = Object.create(runner) as Runner;
  countingRunner.run = ((spec: Parameters<Runner['run']>[0]) => {
    modes.push(spec.mode);
    return runner.run(spec);
  }) as Runner['run'];
  const report = await verifyExercise(exercise, files, {
    runner: countingRunner,
    runtime,
    gradedLabel: 'test',
    seed: 5,
  });
  const check = report.checks.find((c) => c.id === checkId);
  if (!check) throw new Error(`no check ${checkId}`);
  return { check, memoryRuns: modes.filter((mode) => mode === 'memory').length };
}

/** The starter's failed memory check: one more run (under tracemalloc) and the sites it found. */
async function failedMemoryCheck(exerciseId: string, checkId: string) {
  const { check, memoryRuns } = await memoryCheckOf(exerciseId, checkId, false);
  expect(memoryRuns).toBe(1);
  expect(check.passed).toBe(false);
  if (check.kind !== 'memory-peak' && check.kind !== 'memory-streaming')
    throw new Error('not a memory check');
  return { check, sites: check.evidence.allocationSitesAtPeak ?? [] };
}

describe('evidence of a failed memory check', () => {
  it('memory-peak: names the line of the learner code that held the memory at the peak', async () => {
    const { check, sites } = await failedMemoryCheck('leaky-cache', 'bounded-memory');
    const peakMb = check.kind === 'memory-peak' ? (check.evidence.peakMb ?? 0) : 0;
    // The unbounded cache of rendered pages is most of the peak, and it lives in the editable file.
    expect(sites[0]?.where).toMatch(/^catalogue\.py:\d+$/);
    expect(sites[0]?.sizeMb).toBeGreaterThan(peakMb / 2);
    expect(sites[0]?.source).not.toBe('');
    expect(check.sentence).toContain(`at the peak, the most was allocated at ${sites[0]?.where} (`);
  });

  it('memory-streaming: names the sites at the larger input', async () => {
    const { check, sites } = await failedMemoryCheck('whole-file-log-search', 'flat-memory');
    expect(sites.length).toBeGreaterThan(0);
    expect(sites.length).toBeLessThanOrEqual(5);
    expect(sites[0]?.where).toMatch(/^search\.py:\d+$/);
    expect(check.sentence).toMatch(
      /at the peak, the most was allocated at search\.py:\d+ \(\d+\.\d MB: `.+`\)$/,
    );
  });

  it('a memory check that passes makes no extra run and carries no sites', async () => {
    const { check, memoryRuns } = await memoryCheckOf('leaky-cache', 'bounded-memory', true);
    expect(memoryRuns).toBe(0);
    expect(check.passed).toBe(true);
    expect(check.kind === 'memory-peak' && check.evidence.allocationSitesAtPeak).toBeUndefined();
    expect(check.sentence).not.toContain('allocated at');
  });
});
