/**
 * Course content, saved code and progress: the course index, lessons, exercises (files, hints,
 * explanation), auto-save, reset to starter, restore from an earlier job.
 */
import { gzipSync } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import { z } from 'zod';
import {
  courseIndexSchema,
  errorSchema,
  explanationResponseSchema,
  exerciseViewSchema,
  healthSchema,
  hintResponseSchema,
  idParam,
  lessonViewSchema,
  progressSchema,
  restoreFilesBodySchema,
  saveFilesBodySchema,
  savedFilesSchema,
} from '../core/api.js';
import type { LessonView, Progress } from '../core/api.js';
import type { Exercise } from '../core/exercise.js';
import { API_VERSION, HttpError, notFound, type ApiInstance, type ServerContext } from './context.js';
import { editableOnly, exerciseRequest, idRouteSchema, findExercise, findLessonById } from './lookups.js';
import { NOT_STARTED, courseIndex, exerciseView, lessonView } from './views.js';

const errors = { 400: errorSchema, 404: errorSchema };

/** What an exercise job keeps of its request: the learner's files as sent (see job-routes). */
const jobEditsSchema = z.object({ edits: z.record(z.string(), z.string()) });

/** Enough for every lesson in both states for many learners; on overflow the cache restarts. */
const LESSON_BODY_CACHE_ENTRIES = 2000;

export async function exerciseProgress(context: ServerContext, learnerId: string, exerciseId: string) {
  const progress = await context.store.getProgress(learnerId);
  return progress.exercises[exerciseId] ?? NOT_STARTED;
}

export function registerContentRoutes(api: ApiInstance, context: ServerContext): void {
  const { store, learnerOf } = context;
  /** `lessonId \0 progress JSON` → the lesson's response, encoded once (see the lesson route). */
  const lessonBodies = new Map<string, { json: Buffer; gzip: Buffer }>();
  const encodings = new Negotiator({ supportedValues: ['gzip', 'identity'] });
  const progressJson = new WeakMap<Progress, Buffer>();
  /** An exercise as this learner sees it, with `saved` over the starter. */
  const viewFor = async (exercise: Exercise, learnerId: string, saved: Parameters<typeof exerciseView>[2]) =>
    exerciseView(
      context.course,
      exercise,
      saved,
      await exerciseProgress(context, learnerId, exercise.meta.id),
    );

  api.get(
    '/health',
    { schema: { summary: 'Is the server up, and where does code run', response: { 200: healthSchema } } },
    async () => ({
      ok: true,
      version: API_VERSION,
      sandbox: context.runner.sandbox.name,
      isolated: context.runner.sandbox.isolated,
      cpus: context.runner.queue.stats().concurrency,
      python: context.runtime.version,
    }),
  );

  api.get(
    '/course',
    {
      schema: {
        summary: 'The course: modules, lessons, exercises and the learner progress',
        response: { 200: courseIndexSchema },
      },
    },
    async (request) => courseIndex(context.course, await store.getProgress(learnerOf(request))),
  );

  api.get(
    '/progress',
    { schema: { summary: 'The learner progress', response: { 200: progressSchema } } },
    async (request, reply) => {
      const progress = await store.getProgress(learnerOf(request));
      // The store hands out one shared object per state of the progress (see withProgressCache):
      // it is checked and encoded once per state, not once per read.
      let json = progressJson.get(progress);
      if (json === undefined) {
        json = Buffer.from(JSON.stringify(progressSchema.parse(progress)));
        progressJson.set(progress, json);
      }
      return reply.type('application/json; charset=utf-8').send(json as unknown as Progress);
    },
  );

  api.get(
    '/lessons/:id',
    {
      schema: idRouteSchema('One lesson: Markdown segments and runnable blocks in order', {
        200: lessonViewSchema,
        ...errors,
      }),
    },
    async (request, reply) => {
      const lesson = findLessonById(context, request.params.id);
      const progress = (await store.getProgress(learnerOf(request))).lessons[lesson.id] ?? { readAt: null };
      // The lesson never changes while the server runs and its progress has two states (unread,
      // read at T), so each (lesson, progress) response is encoded and gzipped once and then
      // sent as bytes: the hottest read of the app costs no JSON or zlib work per request.
      const key = `${lesson.id}\0${JSON.stringify(progress)}`;
      let body = lessonBodies.get(key);
      if (body === undefined) {
        const view = lessonView(context.course, lesson, {
          lessons: { [lesson.id]: progress },
          exercises: {},
        });
        const json = JSON.stringify(lessonViewSchema.parse(view));
        body = { json: Buffer.from(json), gzip: gzipSync(json) };
        if (lessonBodies.size >= LESSON_BODY_CACHE_ENTRIES) lessonBodies.clear();
        lessonBodies.set(key, body);
      }
      void reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
      if (encodings.negotiate(request.headers['accept-encoding'] ?? '') === 'gzip') {
        return reply.header('content-encoding', 'gzip').send(body.gzip as unknown as LessonView);
      }
      // Already JSON (validated above): a Buffer payload skips the schema serializer.
      return reply.send(body.json as unknown as LessonView);
    },
  );

  api.post(
    '/lessons/:id/read',
    { schema: idRouteSchema('Mark a lesson as read', { 204: z.null(), 404: errorSchema }) },
    async (request, reply) => {
      findLessonById(context, request.params.id);
      await store.markLessonRead(learnerOf(request), request.params.id, Date.now());
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/exercises/:id',
    {
      schema: idRouteSchema(
        'One exercise: prompt, the learner files (saved edits over the starter), revealed hints, progress',
        { 200: exerciseViewSchema, ...errors },
      ),
    },
    async (request) => {
      const { exercise, learnerId } = exerciseRequest(context, request);
      const saved = await store.getSavedFiles(learnerId, exercise.meta.id);
      return viewFor(exercise, learnerId, saved);
    },
  );

  api.put(
    '/exercises/:id/files',
    {
      schema: idRouteSchema(
        'Auto-save the learner editable files',
        { 200: savedFilesSchema, ...errors },
        { body: saveFilesBodySchema },
      ),
    },
    async (request) => {
      const { exercise, learnerId } = exerciseRequest(context, request);
      const files = editableOnly(exercise, request.body.files);
      const savedAt = Date.now();
      await store.saveFiles(learnerId, exercise.meta.id, files, savedAt);
      await store.advanceExercise(learnerId, exercise.meta.id, 'started', savedAt);
      return { savedAt };
    },
  );

  api.delete(
    '/exercises/:id/files',
    {
      schema: idRouteSchema('Reset to the starter files (the saved edits are deleted)', {
        200: exerciseViewSchema,
        ...errors,
      }),
    },
    async (request) => {
      const { exercise, learnerId } = exerciseRequest(context, request);
      await store.deleteSavedFiles(learnerId, exercise.meta.id);
      return viewFor(exercise, learnerId, null);
    },
  );

  api.post(
    '/exercises/:id/files/restore',
    {
      schema: idRouteSchema(
        'Restore the learner files sent with an earlier job of this exercise (they become the saved code)',
        { 200: exerciseViewSchema, ...errors, 409: errorSchema },
        { body: restoreFilesBodySchema },
      ),
    },
    async (request) => {
      const { exercise, learnerId } = exerciseRequest(context, request);
      const id = exercise.meta.id;
      const job = await store.getJob(request.body.jobId);
      if (!job || job.learnerId !== learnerId || job.target !== `exercise:${id}`)
        throw notFound(`job ${request.body.jobId} of exercise "${id}"`);
      const sent = jobEditsSchema.safeParse(job.request);
      if (!sent.success)
        throw new HttpError(409, 'conflict', `job ${job.id} did not keep the files it was sent`);
      // Files the exercise no longer lets the learner edit (after a course update) are dropped.
      const files = Object.fromEntries(
        Object.entries(sent.data.edits).filter(([path]) => exercise.meta.edit.includes(path)),
      );
      await store.saveFiles(learnerId, id, files, Date.now());
      const saved = await store.getSavedFiles(learnerId, id);
      return viewFor(exercise, learnerId, saved);
    },
  );

  api.get(
    '/exercises/:id/data/*',
    {
      schema: {
        summary: 'Download one of the exercise files (data files included) as it is in the starter',
        params: z.object({ id: idParam, '*': z.string().min(1) }),
      },
    },
    async (request, reply) => {
      const exercise = findExercise(context, request.params.id);
      const path = request.params['*'];
      // Own keys only: `__proto__`, `constructor` or `toString` are not files (they were a 500).
      const bytes = Object.hasOwn(exercise.starterData, path)
        ? exercise.starterData[path]
        : Object.hasOwn(exercise.starter, path)
          ? exercise.starter[path]
          : undefined;
      if (bytes === undefined) throw notFound(`file "${path}" of exercise "${exercise.meta.id}"`);
      const name = path.split('/').pop() ?? 'file';
      return reply
        .header(
          'content-type',
          typeof bytes === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream',
        )
        .header('content-disposition', `inline; filename="${name.replace(/[^\w.-]/g, '_')}"`)
        .header('x-content-type-options', 'nosniff')
        .send(typeof bytes === 'string' ? bytes : Buffer.from(bytes));
    },
  );

  api.post(
    '/exercises/:id/hints',
    {
      schema: idRouteSchema('Reveal the next hint (gentlest first); returns every hint revealed so far', {
        200: hintResponseSchema,
        ...errors,
      }),
    },
    async (request) => {
      const { exercise, learnerId } = exerciseRequest(context, request);
      const progress = await exerciseProgress(context, learnerId, exercise.meta.id);
      const shown = Math.min(progress.hintsShown + 1, exercise.hints.length);
      await store.setHintsShown(learnerId, exercise.meta.id, shown);
      await store.advanceExercise(learnerId, exercise.meta.id, 'started', Date.now());
      return { hints: exercise.hints.slice(0, shown), hintsTotal: exercise.hints.length };
    },
  );

  const explanationSchema = idRouteSchema(
    'The full explanation (gives the answer away; the UI asks first). Recorded in progress.',
    { 200: explanationResponseSchema, ...errors },
  );
  api.post('/exercises/:id/explanation', { schema: explanationSchema }, async (request) => {
    const { exercise, learnerId } = exerciseRequest(context, request);
    await store.markExplanationShown(learnerId, exercise.meta.id);
    return { explanation: exercise.explanation };
  });
}
