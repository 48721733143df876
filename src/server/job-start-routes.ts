/**
 * Starting jobs: run, profile or verify an exercise's learner files, run a lesson example, or
 * run, profile or time a workbench script; and an exercise's job history. Each start answers
 * 202 with the job id at once; job-routes.ts serves the job from then on.
 */
import { z } from 'zod';
import {
  errorSchema,
  idParam,
  jobCreatedSchema,
  jobListSchema,
  startBlockJobSchema,
  startExerciseJobSchema,
  startWorkbenchJobSchema,
} from '../core/api.js';
import { exerciseEntry, learnerTree } from '../core/exercise-workspace.js';
import type { JobFile, StdinSpec } from '../sandbox/types.js';
import { HttpError, notFound, type ApiInstance, type ServerContext } from './context.js';
import { executeBlock, executeRun, executeTimeit, executeVerify, type ProgramSpec } from './job-kinds.js';
import { executeProfileWith } from './profile-kinds.js';
import { editableOnly, exerciseRequest, idRouteSchema, findExercise, findLessonById } from './lookups.js';
import { workbenchPathProblem } from './workbench-paths.js';

const errors = { 400: errorSchema, 404: errorSchema, 429: errorSchema, 503: errorSchema };
/** All workbench files together; the sandbox's scratch space is larger, this keeps uploads sane. */
const WORKBENCH_MAX_BYTES = 6 * 1024 * 1024;

function stdinOf(text: string | undefined): StdinSpec {
  return text === undefined ? { mode: 'closed' } : { mode: 'text', text };
}

export function registerJobStartRoutes(api: ApiInstance, context: ServerContext): void {
  const { jobs, store, learnerOf } = context;

  api.post(
    '/exercises/:id/jobs',
    {
      schema: idRouteSchema(
        'Run, profile or verify the learner files of an exercise (the files sent are saved first)',
        { 202: jobCreatedSchema, ...errors },
        { body: startExerciseJobSchema },
      ),
    },
    async (request, reply) => {
      const { exercise, learnerId } = exerciseRequest(context, request);
      const id = exercise.meta.id;
      const now = Date.now();
      if (request.body.files)
        await store.saveFiles(learnerId, id, editableOnly(exercise, request.body.files), now);
      const edits = (await store.getSavedFiles(learnerId, id))?.files ?? {};
      await store.advanceExercise(learnerId, id, 'started', now);
      const stdin = stdinOf(request.body.stdin);
      const { kind, profiler } = request.body;
      const jobId = await jobs.start(
        learnerId,
        kind,
        `exercise:${id}`,
        { kind, edits, ...(kind === 'profile' ? { profiler } : {}) },
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
          if (kind === 'profile') return executeProfileWith(runner, spec, profiler, progress);
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
      schema: idRouteSchema(
        'The run, profile and verification history of an exercise, newest first',
        { 200: jobListSchema, ...errors },
        { querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
      ),
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
      const { kind, entry, args: argv, candidates = [], profiler } = body;
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
          ...(kind === 'profile' ? { profiler } : {}),
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
          if (kind === 'profile') return executeProfileWith(runner, spec, profiler, progress);
          return executeTimeit(runner, spec, candidates);
        },
        { clientId: body.jobId, files },
      );
      return reply.status(202).send({ jobId });
    },
  );
}
