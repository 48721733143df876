/**
 * The Fastify application: JSON API under /api (every input validated by the zod schemas of
 * src/core/api.ts, published as OpenAPI at /api/openapi.json) and the built web app for every
 * other path. Built without listening, so tests drive it through `inject`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ApiError } from '../core/api.js';
import type { Course } from '../course/load.js';
import { createDrillService } from '../drills/service.js';
import type { DrillService } from '../drills/types.js';
import type { PythonRuntime } from '../core/runtime.js';
import type { Runner } from '../runner/runner.js';
import { LOCAL_LEARNER_ID, type Store } from '../store/types.js';
import { installBoundary } from './boundary.js';
import { registerContentRoutes } from './content-routes.js';
import { registerDrillRoutes } from './drill-routes.js';
import { registerJobRoutes } from './job-routes.js';
import { registerJobStartRoutes } from './job-start-routes.js';
import { API_VERSION, DEFAULT_LIMITS, HttpError, type ServerContext, type ServerLimits } from './context.js';
import { JobIdTakenError, QueueFullError, ServerClosingError } from './job-errors.js';
import { JobManager } from './jobs.js';

/** Uploads (workbench files, saved code) are small; anything bigger is refused with 413. */
export const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

export interface AppOptions {
  course: Course;
  store: Store;
  runner: Runner;
  runtime: PythonRuntime;
  /** The built web app (dist/web); the API works without it. */
  webDir?: string;
  /** The single implicit learner of a local server (default LOCAL_LEARNER_ID, shared with the CLI). */
  learnerId?: string;
  /**
   * Who is asking. Today every request is the implicit local learner; accounts will derive it
   * from a session. Tests pass a function to act as several learners.
   */
  learnerOf?: (request: FastifyRequest) => string;
  /** Origins served besides the loopback names on the bound port (`--public-url`). */
  publicUrls?: readonly string[];
  limits?: Partial<ServerLimits>;
  /** Where queued jobs' files wait; default: a fresh private folder in the temp dir, removed at close. */
  spoolDir?: string;
  logger?: FastifyServerOptions['logger'];
  /** The clock of the drill routes, ms since the epoch (default Date.now; tests fix it). */
  now?: () => number;
  /** Interview prep; default: the drill service over `store` and `course`. */
  drills?: DrillService;
}

export async function buildApp(options: AppOptions): Promise<{ app: FastifyInstance; jobs: JobManager }> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Job ids and lesson ids are short; this guards against absurd URLs.
    routerOptions: { maxParamLength: 300 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const learnerId = options.learnerId ?? LOCAL_LEARNER_ID;
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let spoolDir = options.spoolDir;
  if (spoolDir === undefined) {
    const made = mkdtempSync(join(tmpdir(), 'perflab-queued-'));
    app.addHook('onClose', async () => rmSync(made, { recursive: true, force: true }));
    spoolDir = made;
  }
  const jobs = new JobManager({
    store: options.store,
    runner: options.runner,
    spoolDir,
    maxPendingJobs: limits.maxPendingJobs,
    maxPendingJobsPerLearner: limits.maxPendingJobsPerLearner,
    log: app.log,
  });
  const context: ServerContext = {
    course: options.course,
    store: options.store,
    jobs,
    runner: options.runner,
    runtime: options.runtime,
    learnerOf: options.learnerOf ?? (() => learnerId),
    limits,
    drills: options.drills ?? createDrillService({ store: options.store, course: options.course }),
    now: options.now ?? Date.now,
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = errorBody(error);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    if (error instanceof HttpError) void reply.headers(error.headers);
    if (error instanceof QueueFullError) void reply.header('retry-after', String(error.retryAfterS));
    void reply.status(body.status).send(body.payload);
  });

  installBoundary(app, { publicUrls: options.publicUrls });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'perflab API',
        description:
          'The JSON API of the perflab web app: course content, saved code, progress, jobs (run, profile, verify) with live output over server-sent events, and interview prep (spaced-repetition review, quick-fire rounds, mock interviews).',
        version: API_VERSION,
      },
    },
    transform: jsonSchemaTransform,
  });

  await app.register(
    async (api) => {
      registerContentRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerJobStartRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerJobRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerDrillRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api' },
  );

  const webDir = options.webDir;
  const hasWeb = webDir !== undefined && existsSync(join(webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      maxAge: '1h',
      immutable: false,
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (
      request.url.startsWith('/api/') ||
      request.url === '/api' ||
      // A missing built file (say, after a rebuild) must not come back as the app's HTML.
      request.url.startsWith('/assets/') ||
      request.method !== 'GET'
    ) {
      void reply
        .status(404)
        .send({ error: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
      return;
    }
    if (!hasWeb) {
      void reply
        .status(503)
        .type('text/plain')
        .send(
          'The web app is not built. Run `npm run build` (npm install does it), then restart perflab serve.',
        );
      return;
    }
    // Client-side routes (/lessons/x, /exercises/y, /workbench) all load the app.
    void reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  return { app, jobs };
}

function errorBody(error: FastifyError): { status: number; payload: ApiError } {
  if (error instanceof HttpError)
    return { status: error.statusCode, payload: { error: error.code, message: error.message } };
  if (error instanceof JobIdTakenError)
    return { status: 409, payload: { error: 'conflict', message: error.message } };
  if (error instanceof QueueFullError)
    return { status: 429, payload: { error: 'too-many', message: error.message } };
  if (error instanceof ServerClosingError)
    return { status: 503, payload: { error: 'shutting-down', message: error.message } };
  if (error.validation) {
    const issues = error.validation.map(
      (v) => `${v.instancePath || error.validationContext || 'request'}: ${v.message}`,
    );
    return {
      status: 400,
      payload: {
        error: 'bad-request',
        message: `invalid ${error.validationContext ?? 'request'}: ${issues.join('; ')}`,
        issues,
      },
    };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return {
      status: 413,
      payload: {
        error: 'too-large',
        message: `the request body is over ${BODY_LIMIT_BYTES / 1024 / 1024} MB`,
      },
    };
  if (error.statusCode && error.statusCode < 500)
    return { status: error.statusCode, payload: { error: 'bad-request', message: error.message } };
  return {
    status: 500,
    payload: { error: 'internal', message: 'perflab hit an internal error; the server log has the details' },
  };
}
