/**
 * Jobs: start a run, profile or verification of an exercise, a lesson example, or a workbench
 * script; read a job, follow it live over server-sent events, cancel it, download artifacts.
 */
import { z } from 'zod';
import {
  errorSchema,
  idParam,
  jobCreatedSchema,
  jobListSchema,
  jobViewSchema,
  startExerciseJobSchema,
  startWorkbenchJobSchema,
  startBlockJobSchema,
  type JobEvent,
} from '../core/api.js';
import { toSpeedscope } from '../core/profile-model.js';
import type { JobFile, StdinSpec } from '../sandbox/types.js';
import { exerciseEntry, learnerTree } from '../core/exercise-workspace.js';
import { HttpError, notFound, type ApiInstance, type ServerContext } from './context.js';
import { editableOnly, findExercise, findLessonById } from './lookups.js';
import {
  executeBlock,
  executeProfile,
  executeRun,
  executeTimeit,
  executeVerify,
  type ProgramSpec,
} from './job-kinds.js';

const errors = { 400: errorSchema, 404: errorSchema, 429: errorSchema, 503: errorSchema };
/** All workbench files together; the sandbox's scratch space is larger, this keeps uploads sane. */
const WORKBENCH_MAX_BYTES = 6 * 1024 * 1024;
/** SSE comment lines keep proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/** How long an event stream opened ahead of its job's start request waits for the job. */
const PENDING_WAIT_MS = 10_000;

function stdinOf(text: string | undefined): StdinSpec {
  return text === undefined ? { mode: 'closed' } : { mode: 'text', text };
}

/**
 * Why a set of workbench file paths cannot be staged, naming the path; null when it can.
 * Checked before anything is launched: a path like `.`, `dir/` or both `d` and `d/e` used to be
 * accepted and then failed in staging, leaving the warm sandbox it had launched behind.
 */
export function workbenchPathProblem(paths: readonly unknown[]): string | null {
  const seen = new Set<string>();
  for (const path of paths) {
    if (typeof path !== 'string') continue; // the schema names wrong types
    const shown = JSON.stringify(path);
    if (path === '') return 'a file path is empty';
    if (path.includes('\0')) return `the file path ${shown} contains a NUL byte`;
    if (path.length > 200) return `the file path ${shown.slice(0, 60)}… is over 200 characters`;
    if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\'))
      return `the file path ${shown} is absolute; give a path inside the workspace, such as "data/input.txt"`;
    const parts = path.split('/');
    if (parts.includes('..')) return `the file path ${shown} leaves the workspace ("..")`;
    if (parts.includes('.') || parts.includes(''))
      return `the file path ${shown} is not a plain relative file path (no ".", no empty folder name, no trailing "/")`;
    seen.add(path);
  }
  for (const path of seen) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (seen.has(folder))
        return `the file path ${JSON.stringify(folder)} is both a file and the folder of ${JSON.stringify(path)}`;
    }
  }
  return null;
}

/** Counts open event streams per learner and in total; `acquire` is false when a cap is reached. */
class StreamCounter {
  private readonly perLearner = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly max: number,
    private readonly maxPerLearner: number,
  ) {}

  acquire(learnerId: string): 'ok' | 'learner' | 'server' {
    const mine = this.perLearner.get(learnerId) ?? 0;
    if (mine >= this.maxPerLearner) return 'learner';
    if (this.total >= this.max) return 'server';
    this.perLearner.set(learnerId, mine + 1);
    this.total++;
    return 'ok';
  }

  release(learnerId: string): void {
    const mine = (this.perLearner.get(learnerId) ?? 1) - 1;
    if (mine <= 0) this.perLearner.delete(learnerId);
    else this.perLearner.set(learnerId, mine);
    this.total--;
  }
}

/** Seconds a client refused an event stream waits before it tries again. */
const STREAM_RETRY_AFTER_S = 5;

export function registerJobRoutes(api: ApiInstance, context: ServerContext): void {
  const { jobs, store, learnerOf, limits } = context;
  const streams = new StreamCounter(limits.maxEventStreams, limits.maxEventStreamsPerLearner);

  api.post(
    '/exercises/:id/jobs',
    {
      schema: {
        summary: 'Run, profile or verify the learner files of an exercise (the files sent are saved first)',
        params: z.object({ id: idParam }),
        body: startExerciseJobSchema,
        response: { 202: jobCreatedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const exercise = findExercise(context, request.params.id);
      const learnerId = learnerOf(request);
      const id = exercise.meta.id;
      const now = Date.now();
      if (request.body.files)
        await store.saveFiles(learnerId, id, editableOnly(exercise, request.body.files), now);
      const edits = (await store.getSavedFiles(learnerId, id))?.files ?? {};
      await store.advanceExercise(learnerId, id, 'started', now);
      const stdin = stdinOf(request.body.stdin);
      const kind = request.body.kind;
      const jobId = await jobs.start(
        learnerId,
        kind,
        `exercise:${id}`,
        { kind, edits },
        async ({ runner, progress, files }) => {
          // The learner's edits waited on disk; the rest of the tree comes from the course.
          const spooled = Object.fromEntries(files.map((f) => [f.path, String(f.content)]));
          const spec: ProgramSpec = {
            files: learnerTree(exercise, spooled),
            entry: exerciseEntry(exercise),
            argv: [],
            stdin,
            limits: exercise.meta.limits,
          };
          if (kind === 'run') return executeRun(runner, spec);
          if (kind === 'profile') return executeProfile(runner, spec, progress);
          const outcome = await executeVerify(runner, context.runtime, exercise, spooled, progress);
          await store.advanceExercise(learnerId, id, outcome.passed ? 'solved' : 'attempted', Date.now());
          return outcome;
        },
        {
          clientId: request.body.jobId,
          files: Object.entries(edits).map(([path, content]) => ({ path, content })),
        },
      );
      return reply.status(202).send({ jobId });
    },
  );

  api.get(
    '/exercises/:id/jobs',
    {
      schema: {
        summary: 'The run, profile and verification history of an exercise, newest first',
        params: z.object({ id: idParam }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: { 200: jobListSchema, ...errors },
      },
    },
    async (request) => {
      const exercise = findExercise(context, request.params.id);
      const list = await jobs.list(learnerOf(request), `exercise:${exercise.meta.id}`, request.query.limit);
      return {
        jobs: list.map(
          ({ output: _o, progress: _p, result: _r, queuePosition: _q, outputTruncated: _t, ...summary }) =>
            summary,
        ),
      };
    },
  );

  api.post(
    '/lessons/:id/blocks/:index/run',
    {
      schema: {
        summary: 'Run one runnable example of a lesson and compare it with its expected output',
        params: z.object({ id: idParam, index: z.coerce.number().int().min(0) }),
        body: startBlockJobSchema,
        response: { 202: jobCreatedSchema, ...errors, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const lesson = findLessonById(context, request.params.id);
      const block = lesson.blocks[request.params.index];
      if (!block) throw notFound(`block ${request.params.index} of lesson "${lesson.id}"`);
      const jobId = await jobs.start(
        learnerOf(request),
        'block',
        `lesson:${lesson.id}#${request.params.index}`,
        { lesson: lesson.id, index: request.params.index },
        ({ runner }) => executeBlock(runner, block),
        { clientId: request.body?.jobId },
      );
      return reply.status(202).send({ jobId });
    },
  );

  api.post(
    '/workbench/jobs',
    {
      schema: {
        summary: 'Run, profile or time any Python script with its data files',
        body: startWorkbenchJobSchema,
        response: { 202: jobCreatedSchema, ...errors, 413: errorSchema, 429: errorSchema },
      },
      // Before the schema, so the message names the path (the schema names only its index).
      preValidation: async (request) => {
        const body = request.body as { files?: unknown; entry?: unknown } | null;
        if (!body || !Array.isArray(body.files)) return;
        const paths = body.files.map((f: unknown) => (f as { path?: unknown } | null)?.path);
        const problem = workbenchPathProblem(paths) ?? workbenchPathProblem([body.entry]);
        if (problem) throw new HttpError(400, 'bad-path', problem);
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { kind, entry, args: argv, candidates = [] } = body;
      const stdin = stdinOf(body.stdin);
      const files: JobFile[] = body.files.map((f) => ({
        path: f.path,
        content: f.base64 ? Buffer.from(f.content, 'base64') : f.content,
      }));
      const paths = new Set<string>();
      for (const file of files) {
        if (paths.has(file.path))
          throw new HttpError(400, 'bad-request', `two files are named "${file.path}"`);
        paths.add(file.path);
      }
      const total = files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
      if (total > WORKBENCH_MAX_BYTES)
        throw new HttpError(
          413,
          'too-large',
          `the files add up to ${(total / 1048576).toFixed(1)} MB; the workbench takes up to ${WORKBENCH_MAX_BYTES / 1048576} MB`,
        );
      if (!paths.has(body.entry))
        throw new HttpError(400, 'bad-request', `the entry "${body.entry}" is not among the uploaded files`);
      if (!body.entry.endsWith('.py'))
        throw new HttpError(400, 'bad-request', `the entry "${body.entry}" must be a .py file`);
      if (body.kind === 'timeit' && (body.candidates?.length ?? 0) < 2)
        throw new HttpError(
          400,
          'bad-request',
          'timeit needs at least two candidates (function names or expressions) to compare',
        );
      const jobId = await jobs.start(
        learnerOf(request),
        body.kind,
        'workbench',
        {
          kind: body.kind,
          entry: body.entry,
          args: body.args,
          candidates: body.candidates,
          files: body.files.map((f) => f.path),
        },
        ({ runner, progress, files: spooled }) => {
          // The files waited on disk (the spool), not in this closure.
          const spec: ProgramSpec = {
            files: spooled,
            entry,
            argv,
            stdin,
            limits: {},
          };
          if (kind === 'run') return executeRun(runner, spec);
          if (kind === 'profile') return executeProfile(runner, spec, progress);
          return executeTimeit(runner, spec, candidates);
        },
        { clientId: body.jobId, files },
      );
      return reply.status(202).send({ jobId });
    },
  );

  const jobParams = z.object({ id: z.string().uuid() });

  api.get(
    '/jobs/:id',
    {
      schema: {
        summary: 'A job: state, output so far, and its result once finished',
        params: jobParams,
        response: { 200: jobViewSchema, ...errors },
      },
    },
    async (request) => {
      const view = await jobs.get(learnerOf(request), request.params.id);
      if (!view) throw notFound(`job ${request.params.id}`);
      return view;
    },
  );

  api.get(
    '/jobs/:id/events',
    {
      schema: {
        summary:
          'Server-sent events of a job: replays state, progress and output so far, then follows live; ends with an `end` event carrying the whole job',
        params: jobParams,
        querystring: z.object({
          pending: z
            .enum(['0', '1'])
            .default('0')
            .describe('1: the job is being started with this client-made id; wait up to 10 s for it'),
        }),
      },
    },
    async (request, reply) => {
      const learnerId = learnerOf(request);
      const acquired = streams.acquire(learnerId);
      if (acquired !== 'ok')
        throw new HttpError(
          429,
          'too-many',
          acquired === 'learner'
            ? `you have ${limits.maxEventStreamsPerLearner} job streams open, the most perflab keeps per learner; close a tab or wait for a job to end`
            : `the server has ${limits.maxEventStreams} job streams open, the most it keeps; try again in a few seconds`,
          { 'retry-after': String(STREAM_RETRY_AFTER_S) },
        );
      let released = false;
      const release = () => {
        if (!released) streams.release(learnerId);
        released = true;
      };
      const events: JobEvent[] = [];
      let wake: (() => void) | null = null;
      let unsubscribe: (() => void) | null;
      try {
        // ?pending=1 waits only for an id nobody holds yet, and only until someone starts it.
        if (
          request.query.pending === '1' &&
          !(await jobs.waitForJob(learnerId, request.params.id, PENDING_WAIT_MS))
        )
          throw notFound(`job ${request.params.id}`);
        unsubscribe = await jobs.subscribe(learnerId, request.params.id, (event) => {
          events.push(event);
          wake?.();
        });
      } catch (error) {
        release();
        throw error;
      }
      if (!unsubscribe) {
        release();
        throw notFound(`job ${request.params.id}`);
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        // The security headers the boundary set on the reply (a hijacked reply does not send them).
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let open = true;
      request.raw.on('close', () => {
        open = false;
        unsubscribe();
        release();
        wake?.();
      });
      const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
      try {
        while (open) {
          const event = events.shift();
          if (!event) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = null;
            continue;
          }
          const { type, ...data } = event;
          raw.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
          if (type === 'end') break;
        }
      } finally {
        clearInterval(keepalive);
        unsubscribe();
        release();
        raw.end();
      }
    },
  );

  api.post(
    '/jobs/:id/cancel',
    {
      schema: {
        summary: 'Cancel a queued or running job (its sandbox is killed)',
        params: jobParams,
        response: { 200: jobViewSchema, ...errors },
      },
    },
    async (request) => {
      const view = await jobs.cancel(learnerOf(request), request.params.id);
      if (!view) throw notFound(`job ${request.params.id}`);
      return view;
    },
  );

  api.get(
    '/jobs/:id/artifacts/:name',
    {
      schema: {
        summary:
          'Download the profile of a profile job: profile.prof (pstats, for snakeviz or pstats) or profile.speedscope.json',
        params: jobParams.extend({ name: z.enum(['profile.prof', 'profile.speedscope.json']) }),
      },
    },
    async (request, reply) => {
      const { id, name } = request.params;
      const learnerId = learnerOf(request);
      const view = await jobs.get(learnerId, id);
      if (!view) throw notFound(`job ${id}`);
      const profile = (view.result as { profile?: { functions: never[]; edges: never[] } | null } | null)
        ?.profile;
      if (name === 'profile.prof') {
        const pstats = await jobs.pstatsOf(learnerId, id);
        if (!pstats) throw notFound(`a profile for job ${id}`);
        return reply
          .header('content-type', 'application/octet-stream')
          .header('content-disposition', `attachment; filename="perflab-${id.slice(0, 8)}.prof"`)
          .send(Buffer.from(pstats, 'base64'));
      }
      if (!profile) throw notFound(`a profile for job ${id}`);
      return reply
        .header('content-type', 'application/json')
        .header('content-disposition', `attachment; filename="perflab-${id.slice(0, 8)}.speedscope.json"`)
        .send(JSON.stringify(toSpeedscope(profile.functions, profile.edges, view.target)));
    },
  );
}
