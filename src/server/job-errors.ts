/**
 * Why a job start is refused, and the default bounds on unfinished jobs. The routes turn each
 * error into its status (app.ts: 409, 429 with Retry-After, 503).
 */

/** Unfinished web jobs (waiting or running) allowed at once, over all learners and per learner. */
export const DEFAULT_MAX_PENDING_JOBS = 64;
export const DEFAULT_MAX_PENDING_JOBS_PER_LEARNER = 8;
/** What a refused client is told to wait before trying again, in seconds (jobs take seconds). */
const RETRY_AFTER_S = 10;

export class JobIdTakenError extends Error {
  override name = 'JobIdTakenError';
  constructor() {
    super('this job id cannot be used; pick a fresh random id (or leave it out and perflab picks one)');
  }
}

/** Too many unfinished jobs: 429 with Retry-After. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
  constructor(
    message: string,
    readonly retryAfterS: number = RETRY_AFTER_S,
  ) {
    super(message);
  }

  static ofLearner(max: number): QueueFullError {
    return new QueueFullError(
      `you have ${max} unfinished jobs, the most perflab keeps per learner; wait for one to finish (or cancel one) and start again`,
    );
  }

  static ofServer(max: number): QueueFullError {
    return new QueueFullError(
      `the server has ${max} unfinished jobs, the most it keeps; try again in a few seconds`,
    );
  }
}

export class ServerClosingError extends Error {
  override name = 'ServerClosingError';
  constructor() {
    super('the server is shutting down and accepts no new jobs');
  }
}
