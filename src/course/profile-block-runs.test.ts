/**
 * The course's own profile blocks, run through check-blocks in the real bubblewrap sandbox with
 * the real profilers: the claims the lessons make hold, and a claim the run contradicts fails
 * with a sentence naming the claim and its line.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProfileBlock } from '../core/course.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { requireBwrap } from '../test-support/sandboxes.js';
import { checkBlock, checkProfileBlock } from './check-blocks.js';
import { loadCourse } from './load.js';

const course = await loadCourse(join(PROJECT_ROOT, 'course'));
const lesson = course.lessons.find((l) => l.id === 'concurrency-is-not-speed');
const profileBlocks = (lesson?.blocks ?? []).filter((b): b is ProfileBlock => b.kind === 'profile');

describe('profile blocks in the real sandbox', () => {
  const queue = createMemoryQueue({ concurrency: 1 });
  const runner = new Runner(requireBwrap(), queue);
  afterAll(() => queue.close());
  const [serial, together, sampled] = profileBlocks;

  it('finds the lesson\'s ten downloads in a row, and all ten at once after the fix', async () => {
    expect(serial?.profiler).toBe('timeline');
    const inRow = await checkProfileBlock(runner, serial as ProfileBlock);
    expect(inRow.detail).toContain('at most 1 lane was waiting-io at once');
    expect(inRow.ok).toBe(true);
    expect(inRow.timeline?.lanes.filter((l) => l.kind === 'thread')).toHaveLength(11);
    const atOnce = await checkBlock(runner, together as ProfileBlock);
    expect(atOnce.ok, atOnce.detail).toBe(true);

    // The serial program does not show what the fixed one claims: the failure names the claim and its line.
    const wrong = { ...(serial as ProfileBlock), claims: (together as ProfileBlock).claims };
    const refuted = await checkProfileBlock(runner, wrong);
    expect(refuted.ok).toBe(false);
    expect(refuted.detail).toBe(
      `claim "concurrency: overlapping 10 in waiting-io" (line ${wrong.claims[0]?.line}) does not hold: ${refuted.claims[0]?.detail}`,
    );
  }, 120_000);

  it('names the workers\' hot function from py-spy\'s samples, where cProfile sees only join', async () => {
    expect(sampled?.profiler).toBe('sample');
    const result = await checkProfileBlock(runner, sampled as ProfileBlock);
    expect(result.claims[0]?.detail).toBe("the hottest function of the example's code is denoise, mostly in worker threads");
    expect(result.ok).toBe(true);
  }, 120_000);
});
