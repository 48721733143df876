/** A lesson's profile example as a web job's result: the verdicts of its claims and the view to draw. */
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { ProfileBlock } from '../core/course.js';
import { loadCourse } from '../course/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { requireBwrap } from '../test-support/sandboxes.js';
import { executeBlock } from './job-kinds.js';

const course = await loadCourse(join(PROJECT_ROOT, 'course'));
const queue = createMemoryQueue({ concurrency: 1 });
afterAll(() => queue.close());

it('carries each claim of a timeline example with its verdict, and the timeline', async () => {
  const block = course.lessons
    .find((l) => l.id === 'asyncio-without-blocking')
    ?.blocks.find((b): b is ProfileBlock => b.kind === 'profile' && b.profiler === 'timeline');
  const outcome = await executeBlock(new Runner(requireBwrap(), queue), block as ProfileBlock);
  expect(outcome.passed).toBe(true);
  const result = outcome.result;
  if (result.kind !== 'block') throw new Error(`a ${result.kind} result`);
  expect(result).toMatchObject({ ok: true, profiler: 'timeline', sampled: null, memray: null });
  expect(result.claims).toEqual([
    {
      text: 'concurrency: serial in waiting-io',
      ok: true,
      detail: expect.stringMatching(/^at most 1 lane was waiting-io at once/),
    },
  ]);
  // The stalled loop's five tasks, each a lane of its own.
  expect(
    result.timeline?.lanes.filter((l) => l.kind === 'task' && l.label.includes('fetch_report')),
  ).toHaveLength(5);
}, 60_000);
