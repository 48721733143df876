/**
 * The in-process job queue: at most `concurrency` jobs run at once, the rest wait in
 * submission order. Cancel removes a queued job at once, and aborts a running one through
 * its signal (the sandbox then kills the run's processes).
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  JobCancelledError,
  QueueClosedError,
  type JobHandle,
  type JobQueue,
  type JobState,
  type JobTask,
  type SubmitOptions,
} from './types.js';

export interface MemoryQueueOptions {
  /** Default: the number of CPUs this process may use. */
  concurrency?: number;
}

interface Entry {
  id: string;
  exclusive: boolean;
  state: JobState;
  submittedAt: number;
  startedAt: number | null;
  settledAt: number | null;
  controller: AbortController;
  start: () => void;
  reject: (error: Error) => void;
  settled: Promise<unknown>;
}

export function createMemoryQueue(options: MemoryQueueOptions = {}): JobQueue {
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError('concurrency must be a positive integer');
  const waiting: Entry[] = [];
  const running = new Set<Entry>();
  let closed = false;

  const pump = () => {
    while (running.size < concurrency && waiting.length > 0) {
      const next = waiting[0] as Entry;
      // Submission order is kept: an exclusive job waits for the running ones to finish,
      // and nothing starts beside it.
      if (next.exclusive && running.size > 0) return;
      if ([...running].some((entry) => entry.exclusive)) return;
      waiting.shift();
      running.add(next);
      next.start();
    }
  };

  return {
    submit<T>(task: JobTask<T>, options: SubmitOptions = {}): JobHandle<T> {
      if (closed) throw new QueueClosedError();
      let resolveResult!: (value: T) => void;
      let rejectResult!: (error: Error) => void;
      const result = new Promise<T>((resolve, reject) => {
        resolveResult = resolve;
        rejectResult = reject;
      });
      // A caller that only cancels must not see an unhandled rejection.
      result.catch(() => undefined);
      const entry: Entry = {
        id: randomUUID(),
        exclusive: options.exclusive ?? false,
        state: 'queued',
        submittedAt: performance.now(),
        startedAt: null,
        settledAt: null,
        controller: new AbortController(),
        settled: result.then(
          () => undefined,
          () => undefined,
        ),
        reject: (error) => rejectResult(error),
        start: () => {
          entry.state = 'running';
          entry.startedAt = performance.now();
          task(entry.controller.signal).then(
            (value) => {
              entry.state = entry.controller.signal.aborted ? 'cancelled' : 'finished';
              entry.settledAt = performance.now();
              running.delete(entry);
              if (entry.state === 'cancelled') rejectResult(new JobCancelledError(entry.id));
              else resolveResult(value);
              pump();
            },
            (error: unknown) => {
              entry.state = entry.controller.signal.aborted ? 'cancelled' : 'failed';
              entry.settledAt = performance.now();
              running.delete(entry);
              rejectResult(
                entry.state === 'cancelled'
                  ? new JobCancelledError(entry.id)
                  : new Error(`job ${entry.id} failed`, { cause: error }),
              );
              pump();
            },
          );
        },
      };
      waiting.push(entry);
      pump();
      return {
        id: entry.id,
        result,
        state: () => entry.state,
        queuePosition: () => (entry.state === 'queued' ? waiting.indexOf(entry) + 1 : 0),
        timing: () => ({
          queueWaitMs: (entry.startedAt ?? performance.now()) - entry.submittedAt,
          runMs:
            entry.startedAt !== null && entry.settledAt !== null ? entry.settledAt - entry.startedAt : null,
        }),
        cancel: () => {
          if (entry.state === 'queued') {
            waiting.splice(waiting.indexOf(entry), 1);
            entry.state = 'cancelled';
            entry.settledAt = performance.now();
            entry.reject(new JobCancelledError(entry.id));
          } else if (entry.state === 'running') {
            entry.controller.abort();
          }
        },
      };
    },
    stats: () => ({ queued: waiting.length, running: running.size, concurrency }),
    async close() {
      closed = true;
      for (const entry of waiting.splice(0)) {
        entry.state = 'cancelled';
        entry.reject(new JobCancelledError(entry.id));
      }
      for (const entry of running) entry.controller.abort();
      await Promise.all([...running].map((entry) => entry.settled));
    },
  };
}
