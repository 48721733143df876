/** The course loader on a small fixture, and lesson blocks run in the real sandbox. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { availableSandboxes } from '../test-support/sandboxes.js';
import { checkCompareBlock, checkRunBlock } from './check-blocks.js';
import { loadCourse } from './load.js';
import type { CompareBlock, RunBlock } from '../core/course.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'mini-course');
const course = await loadCourse(FIXTURE);

describe('course loader', () => {
  it('builds the content index with blocks, drills and topic coverage', () => {
    expect(course.lessons.map((l) => l.id)).toEqual(['counting']);
    expect(course.lessons[0]?.blocks.map((b) => b.kind)).toEqual(['run', 'run', 'compare']);
    expect(course.lessons[0]?.blocks[0]?.line).toBe(13);
    expect(course.drills.map((d) => d.id)).toEqual(['dict-counting', 'broken-link']);
    expect(course.coverage.find((t) => t.id === 'counting')).toMatchObject({ lessons: ['counting'], drills: ['dict-counting', 'broken-link'] });
  });

  it('reports broken links and coverage gaps with the file', () => {
    expect(course.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/drills\/basics\.yaml:1: drill "broken-link" links to lesson "no-such-lesson"/),
        expect.stringMatching(/course\.yaml:1: topic "uncovered" lacks a lesson, an exercise or challenge, drill questions/),
        expect.stringMatching(/course\.yaml:1: topic "counting" lacks an exercise or challenge/),
      ]),
    );
  });
});

describe('lesson blocks in the sandbox', () => {
  const sandbox = (availableSandboxes()[0] as { make: () => import('../sandbox/types.js').Sandbox }).make();
  const queue = createMemoryQueue({ concurrency: 2 });
  const runner = new Runner(sandbox, queue);
  afterAll(() => queue.close());
  const [printing, failing, compare] = course.lessons[0]?.blocks ?? [];

  it('accepts matching output with placeholders, and a block meant to fail', async () => {
    expect((await checkRunBlock(runner, printing as RunBlock)).ok).toBe(true);
    expect((await checkRunBlock(runner, failing as RunBlock)).ok).toBe(true);
  });

  it('reports the first differing line when the output changes', async () => {
    const changed = { ...(printing as RunBlock), code: 'print({"a": 3})\nprint("took 0.1 s")\n' };
    const result = await checkRunBlock(runner, changed);
    expect(result.ok).toBe(false);
    expect(result.detail).toContain(`expected "{'a': 2, 'b': 1}", got "{'a': 3}"`);
  });

  it('fails a block that should fail but succeeds', async () => {
    const result = await checkRunBlock(runner, { ...(failing as RunBlock), code: 'print("fine")\n' });
    expect(result.ok).toBe(false);
    expect(result.detail).toContain('expected the block to fail');
  });

  it('keeps a speed claim true, and catches a claim that is false', async () => {
    const ok = await checkCompareBlock(runner, compare as CompareBlock);
    expect(ok.ok).toBe(true);
    expect(ok.ratio).toBeGreaterThan(3);
    const reversed = await checkCompareBlock(runner, { ...(compare as CompareBlock), faster: 'with_scans', slower: 'with_dict' });
    expect(reversed.ok).toBe(false);
  });
});
