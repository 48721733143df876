/**
 * A workbench timeit whose candidates cannot be timed (issue 9, item 7): the job reports the
 * harness's sentence naming each candidate and why, instead of failing with "Reduce of empty
 * array with no initial value". Real Python in the real sandbox.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { requireBwrap } from '../test-support/sandboxes.js';
import { executeTimeit } from './job-kinds.js';

const queue = createMemoryQueue({ concurrency: 1 });
const runner = new Runner(requireBwrap(), queue);
afterAll(() => queue.close());

describe('workbench timeit with no valid candidate', () => {
  it('names every candidate and why, with no comparison, and fails the job', async () => {
    const outcome = await executeTimeit(
      runner,
      {
        files: [{ path: 'main.py', content: 'def needs_arg(n):\n    return n\n' }],
        entry: 'main.py',
        argv: [],
        stdin: { mode: 'closed' },
        limits: {},
      },
      ['missing_function', 'needs_arg'],
    );
    expect(outcome.message).not.toMatch(/Reduce of empty array/);
    expect(outcome.message).toMatch(/missing_function.*NameError/);
    expect(outcome.message).toMatch(/needs_arg.*TypeError/);
    expect(outcome.failed).toBe(true);
    expect(outcome.result).toMatchObject({ kind: 'timeit', report: null });
  });
});
