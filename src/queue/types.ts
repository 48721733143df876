export type JobState = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';

/** A unit of work: receives a signal that is aborted when the job is cancelled while running. */
export type JobTask<T> = (signal: AbortSignal) => Promise<T>;

export interface JobTiming {
  /** Time between submit and start. */
  queueWaitMs: number;
  /** Time between start and settle; null while queued or running. */
  runMs: number | null;
}

export interface JobHandle<T> {
  readonly id: string;
  state(): JobState;
  /** 0 when running or done; 1 for the next job to start, and so on. */
  queuePosition(): number;
  timing(): JobTiming;
  /** Settles with the task's value; rejects with JobCancelledError when cancelled. */
  readonly result: Promise<T>;
  cancel(): void;
}

/** A bounded queue of jobs. Every implementation passes src/queue/contract.test.ts. */
export interface SubmitOptions {
  /**
   * Run with the machine to itself: wait until nothing else runs, and start nothing else
   * until done. For measurements of CPU scaling, which other jobs would distort.
   */
  exclusive?: boolean;
}

export interface JobQueue {
  submit<T>(task: JobTask<T>, options?: SubmitOptions): JobHandle<T>;
  /** Jobs waiting and running right now. */
  stats(): { queued: number; running: number; concurrency: number };
  /** Cancels everything queued and running, and waits for running jobs to settle. */
  close(): Promise<void>;
}

export class JobCancelledError extends Error {
  override name = 'JobCancelledError';
  constructor(jobId: string) {
    super(`job ${jobId} was cancelled`);
  }
}

export class QueueClosedError extends Error {
  override name = 'QueueClosedError';
  constructor() {
    super('the job queue is closed');
  }
}
