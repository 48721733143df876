/**
 * What every route module shares: the server's context, its limits and the error a route throws
 * for a status. A leaf of the server: it imports no route module, so app.ts and the routes all
 * import it and not each other.
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { PythonRuntime } from '../core/runtime.js';
import type { Course } from '../course/load.js';
import type { DrillService } from '../drills/types.js';
import type { Runner } from '../runner/runner.js';
import type { Store } from '../store/types.js';
import { DEFAULT_MAX_PENDING_JOBS, DEFAULT_MAX_PENDING_JOBS_PER_LEARNER } from './job-errors.js';
import type { JobManager } from './jobs.js';

export const API_VERSION = '0.1.0';

/** Bounds on what one learner, and everyone together, may hold on the server. */
export interface ServerLimits {
  /** Unfinished jobs (waiting or running) over all learners; more → 429. */
  maxPendingJobs: number;
  maxPendingJobsPerLearner: number;
  /** Open job event streams (SSE), including ones waiting for their job (?pending=1); more → 429. */
  maxEventStreams: number;
  maxEventStreamsPerLearner: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxPendingJobs: DEFAULT_MAX_PENDING_JOBS,
  maxPendingJobsPerLearner: DEFAULT_MAX_PENDING_JOBS_PER_LEARNER,
  maxEventStreams: 256,
  // A browser opens at most 6 connections per host over HTTP/1.1; 16 leaves room for tabs.
  maxEventStreamsPerLearner: 16,
};

export interface ServerContext {
  course: Course;
  store: Store;
  jobs: JobManager;
  runner: Runner;
  runtime: PythonRuntime;
  learnerOf: (request: FastifyRequest) => string;
  limits: ServerLimits;
  /** Interview prep (review, quick-fire rounds, mock interviews), shared with `perflab drill`. */
  drills: DrillService;
  /** The server's clock, ms since the epoch (Date.now; tests fix it). Drill routes read time only here. */
  now: () => number;
}

/** The API scope the route modules register on: Fastify with the zod type provider. */
export type ApiInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not-found', `${what} does not exist`);
