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
import { learnerTree } from '../verify/engine.js';
import { HttpError, notFound, type ServerContext } from './app.js';
import { editableOnly, findExercise, findLessonById, type ApiInstance } from './content-routes.js';
import {
  executeBlock,
  executeProfile,
  executeRun,
  executeTimeit,
  executeVerify,
  type ProgramSpec,
} from './job-kinds.js';
import { exerciseEntry } from './views.js';

const errors = { 400: errorSchema, 404: errorSchema, 503: errorSchema };
/** All workbench files together; the sandbox's scratch space is larger, this keeps uploads sane. */
const WORKBENCH_MAX_BYTES = 6 * 1024 * 1024;
/** SSE comment lines keep proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/** How long an event stream opened ahead of its job's start request waits for the job. */
const PENDING_WAIT_MS = 10_000;

function stdinOf(text: string | undefined): StdinSpec {
  return text === undefined ? { mode: 'closed' } : { mode: 'text', text };
}

export function registerJobRoutes(api: ApiInstance, context: ServerContext): void {
  const { jobs, store, learnerId } = context;

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
      const id = exercise.meta.id;
      const now = Date.now();
      if (request.body.files)
        await store.saveFiles(learnerId, id, editableOnly(exercise, request.body.files), now);
      const edits = (await store.getSavedFiles(learnerId, id))?.files ?? {};
      await store.advanceExercise(learnerId, id, 'started', now);
      const spec: ProgramSpec = {
        files: learnerTree(exercise, edits),
        entry: exerciseEntry(exercise),
        argv: [],
        stdin: stdinOf(request.body.stdin),
        limits: exercise.meta.limits,
      };
      const kind = request.body.kind;
      const jobId = await jobs.start(
        kind,
        `exercise:${id}`,
        { kind, edits },
        async ({ runner, progress }) => {
          if (kind === 'run') return executeRun(runner, spec);
          if (kind === 'profile') return executeProfile(runner, spec, progress);
          const outcome = await executeVerify(runner, context.runtime, exercise, edits, progress);
          await store.advanceExercise(learnerId, id, outcome.passed ? 'solved' : 'attempted', Date.now());
          return outcome;
        },
        request.body.jobId,
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
      const list = await jobs.list(`exercise:${exercise.meta.id}`, request.query.limit);
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
        'block',
        `lesson:${lesson.id}#${request.params.index}`,
        { lesson: lesson.id, index: request.params.index },
        ({ runner }) => executeBlock(runner, block),
        request.body?.jobId,
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
        response: { 202: jobCreatedSchema, ...errors, 413: errorSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
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
      const spec: ProgramSpec = {
        files,
        entry: body.entry,
        argv: body.args,
        stdin: stdinOf(body.stdin),
        limits: {},
      };
      const jobId = await jobs.start(
        body.kind,
        'workbench',
        {
          kind: body.kind,
          entry: body.entry,
          args: body.args,
          candidates: body.candidates,
          files: body.files.map((f) => f.path),
        },
        ({ runner, progress }) => {
          if (body.kind === 'run') return executeRun(runner, spec);
          if (body.kind === 'profile') return executeProfile(runner, spec, progress);
          return executeTimeit(runner, spec, body.candidates ?? []);
        },
        body.jobId,
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
      const view = await jobs.get(request.params.id);
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
      if (request.query.pending === '1') await jobs.waitForJob(request.params.id, PENDING_WAIT_MS);
      const events: JobEvent[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = await jobs.subscribe(request.params.id, (event) => {
        events.push(event);
        wake?.();
      });
      if (!unsubscribe) throw notFound(`job ${request.params.id}`);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let open = true;
      request.raw.on('close', () => {
        open = false;
        unsubscribe();
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
      const view = await jobs.cancel(request.params.id);
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
      const view = await jobs.get(id);
      if (!view) throw notFound(`job ${id}`);
      const profile = (view.result as { profile?: { functions: never[]; edges: never[] } | null } | null)
        ?.profile;
      if (name === 'profile.prof') {
        const pstats = await jobs.pstatsOf(id);
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
