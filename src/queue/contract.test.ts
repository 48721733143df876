/** The contract every JobQueue keeps; the Redis queue of a later issue joins the list below. */
import { describe, expect, it } from 'vitest';
import { createMemoryQueue } from './memory-queue.js';
import { JobCancelledError, type JobQueue } from './types.js';

const implementations: { name: string; make: (concurrency: number) => JobQueue }[] = [
  { name: 'in-process', make: (concurrency) => createMemoryQueue({ concurrency }) },
];

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe.each(implementations)('job queue contract: $name', ({ make }) => {
  it('runs at most `concurrency` jobs at once, in submission order', async () => {
    const queue = make(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const handles = Array.from({ length: 6 }, (_, i) =>
      queue.submit(async () => {
        started.push(i);
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        return i * 10;
      }),
    );
    expect(await Promise.all(handles.map((h) => h.result))).toEqual([0, 10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    await queue.close();
  });

  it('reports states, queue positions and queue wait apart from run time', async () => {
    const queue = make(1);
    const gate = deferred();
    const first = queue.submit(() => gate.promise);
    const second = queue.submit(async () => 'done');
    expect(first.state()).toBe('running');
    expect(second.state()).toBe('queued');
    expect(second.queuePosition()).toBe(1);
    await new Promise((r) => setTimeout(r, 30));
    gate.resolve();
    expect(await second.result).toBe('done');
    expect(second.state()).toBe('finished');
    expect(second.timing().queueWaitMs).toBeGreaterThanOrEqual(25);
    expect(second.timing().runMs).not.toBeNull();
    await queue.close();
  });

  it('cancels a queued job without running it', async () => {
    const queue = make(1);
    const gate = deferred();
    queue.submit(() => gate.promise);
    let ran = false;
    const waiting = queue.submit(async () => {
      ran = true;
    });
    waiting.cancel();
    await expect(waiting.result).rejects.toBeInstanceOf(JobCancelledError);
    gate.resolve();
    await queue.close();
    expect(ran).toBe(false);
    expect(waiting.state()).toBe('cancelled');
  });

  it('cancels a running job through its abort signal', async () => {
    const queue = make(1);
    const running = queue.submit(
      (signal) =>
        new Promise<void>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    );
    running.cancel();
    await expect(running.result).rejects.toBeInstanceOf(JobCancelledError);
    expect(running.state()).toBe('cancelled');
    await queue.close();
  });

  it('wraps a failing job with its cause and keeps serving', async () => {
    const queue = make(1);
    const failing = queue.submit(async () => {
      throw new Error('boom');
    });
    await expect(failing.result).rejects.toMatchObject({ cause: { message: 'boom' } });
    expect(await queue.submit(async () => 1).result).toBe(1);
    await queue.close();
  });

  it('runs an exclusive job alone, after what was running, and before what came later', async () => {
    const queue = make(2);
    const events: string[] = [];
    const job = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      events.push(`end ${name}`);
    };
    const a = queue.submit(job('a', 30));
    const b = queue.submit(job('b', 10), { exclusive: true });
    const c = queue.submit(job('c', 10));
    await Promise.all([a.result, b.result, c.result]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    await queue.close();
  });

  it('close cancels what waits and what runs', async () => {
    const queue = make(1);
    const running = queue.submit(
      (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
    );
    const waiting = queue.submit(async () => undefined);
    await queue.close();
    await expect(waiting.result).rejects.toBeInstanceOf(JobCancelledError);
    await expect(running.result).rejects.toBeInstanceOf(JobCancelledError);
    expect(() => queue.submit(async () => undefined)).toThrow(/closed/);
  });
});
