/**
 * Interview prep (/api/drills, /api/drill-sessions): the question list, the review queue,
 * grading and undo, the learner's settings, quick-fire rounds and mock interviews. Every route
 * calls the DrillService (src/drills) with the learner asking and the server's clock
 * (`context.now()`, ms since the epoch): a client never says what time it is, so it cannot
 * reveal a mock interview's answers early by claiming its timer ran out.
 */
import { z } from 'zod';
import { errorSchema, idParam } from '../core/api.js';
import {
  drillListQuerySchema,
  drillListSchema,
  drillSettingsSchema,
  drillViewSchema,
  mockBodySchema,
  quickFireBodySchema,
  reviewBodySchema,
  reviewQueueQuerySchema,
  reviewQueueSchema,
  reviewResultSchema,
  sessionAnswerBodySchema,
  sessionHistorySchema,
  sessionKindSchema,
  sessionViewSchema,
  undoResultSchema,
  type SessionView,
} from '../core/drill-api.js';
import { DrillError } from '../drills/types.js';
import { HttpError, notFound, type ApiInstance, type ServerContext } from './context.js';

/** The HTTP status and error code of each DrillError (the body is the API's one error shape). */
const DRILL_ERROR_STATUS = {
  'not-found': [404, 'not-found'],
  conflict: [409, 'conflict'],
  invalid: [400, 'bad-request'],
} as const satisfies Record<DrillError['code'], readonly [number, string]>;

export function drillHttpError(error: DrillError): HttpError {
  const [status, code] = DRILL_ERROR_STATUS[error.code];
  return new HttpError(status, code, error.message);
}

/** Runs a service call; a DrillError becomes the HttpError of its status. */
async function call<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof DrillError ? drillHttpError(error) : error;
  }
}

/** Where "today" ends for the counts a change returns (the browser's -getTimezoneOffset()). */
const offsetQuery = drillListQuerySchema.pick({ utcOffsetMinutes: true });
const drillParams = z.object({ id: idParam });
/** Session ids are made by the service (UUIDs); anything id-like is looked up, the rest is 400. */
const sessionParams = z.object({ id: z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'must be a session id') });
/** A part of a session: its position, 0-based. */
const itemParams = sessionParams.extend({ index: z.coerce.number().int().min(0).max(999) });
const historyQuery = z.object({
  kind: sessionKindSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

const errors = { 400: errorSchema, 404: errorSchema };
const sessionErrors = { ...errors, 409: errorSchema };

export function registerDrillRoutes(api: ApiInstance, context: ServerContext): void {
  const { drills, learnerOf, now } = context;

  const listSchema = {
    summary: 'Interview questions by module and topic with the learner state of each, and counts due today',
    querystring: drillListQuerySchema,
    response: { 200: drillListSchema, 400: errorSchema },
  };
  api.get('/drills', { schema: listSchema }, async (request) =>
    call(drills.list(learnerOf(request), request.query, now())),
  );

  api.get(
    '/drills/review',
    {
      schema: {
        summary: 'The review queue: due questions (most overdue first), then new ones in course order',
        querystring: reviewQueueQuerySchema,
        response: { 200: reviewQueueSchema, 400: errorSchema },
      },
    },
    async (request) => call(drills.reviewQueue(learnerOf(request), request.query, now())),
  );

  api.get(
    '/drills/settings',
    {
      schema: {
        summary: 'The learner drill settings (target retention)',
        response: { 200: drillSettingsSchema },
      },
    },
    async (request) => call(drills.getSettings(learnerOf(request))),
  );

  api.put(
    '/drills/settings',
    {
      schema: {
        summary: 'Change the learner drill settings; later grades are scheduled with them',
        body: drillSettingsSchema,
        response: { 200: drillSettingsSchema, 400: errorSchema },
      },
    },
    async (request) => call(drills.setSettings(learnerOf(request), request.body)),
  );

  api.post(
    '/drills/undo',
    {
      schema: {
        summary:
          'Take back the learner last grade (review, quick-fire or mock); drill is null when there was none',
        querystring: offsetQuery,
        response: { 200: undoResultSchema, 400: errorSchema },
      },
    },
    async (request) => call(drills.undo(learnerOf(request), now(), request.query.utcOffsetMinutes)),
  );

  api.get(
    '/drills/:id',
    {
      schema: {
        summary:
          'One question with its answers, rubric, recorded tool output and when it comes back per grade',
        params: drillParams,
        response: { 200: drillViewSchema, ...errors },
      },
    },
    async (request) => {
      const view = await call(drills.get(learnerOf(request), request.params.id, now()));
      if (!view) throw notFound(`drill "${request.params.id}"`);
      return view;
    },
  );

  api.post(
    '/drills/:id/review',
    {
      schema: {
        summary: 'Grade one question (1 Again, 2 Hard, 3 Good, 4 Easy); FSRS schedules its next review',
        params: drillParams,
        querystring: offsetQuery,
        body: reviewBodySchema,
        response: { 200: reviewResultSchema, ...errors },
      },
    },
    async (request) =>
      call(
        drills.review(learnerOf(request), request.params.id, request.body, now(), {
          source: 'review',
          utcOffsetMinutes: request.query.utcOffsetMinutes,
        }),
      ),
  );

  /** Starting a session answers 201 with the session; one helper for both kinds. */
  const startRoute = <B extends typeof quickFireBodySchema | typeof mockBodySchema>(
    url: string,
    summary: string,
    body: B,
    start: (learnerId: string, body: z.output<B>, nowMs: number) => Promise<SessionView>,
  ) =>
    api.post(
      url,
      { schema: { summary, body, response: { 201: sessionViewSchema, ...errors } } },
      // The body was parsed by `body` (the type provider cannot name its output for a generic B).
      async (request, reply) =>
        reply.status(201).send(await call(start(learnerOf(request), request.body as z.output<B>, now()))),
    );
  startRoute(
    '/drills/quick-fire',
    'Start a quick-fire round: N questions (default 30) from a topic set, each with its own timer',
    quickFireBodySchema,
    (learnerId, body, nowMs) => drills.startQuickFire(learnerId, body, nowMs),
  );
  startRoute(
    '/drills/mock',
    'Start a mock interview: a timed mixed set whose answers stay hidden until each timer ends',
    mockBodySchema,
    (learnerId, body, nowMs) => drills.startMock(learnerId, body, nowMs),
  );

  api.get(
    '/drill-sessions',
    {
      schema: {
        summary: 'Past quick-fire rounds and mock interviews, newest first, with their scores',
        querystring: historyQuery,
        response: { 200: sessionHistorySchema, 400: errorSchema },
      },
    },
    async (request) => call(drills.history(learnerOf(request), request.query.kind, request.query.limit)),
  );

  api.get(
    '/drill-sessions/:id',
    {
      schema: {
        summary: 'A quick-fire round or mock interview as it is now (answers of running parts hidden)',
        params: sessionParams,
        response: { 200: sessionViewSchema, ...errors },
      },
    },
    async (request) => {
      const view = await call(drills.getSession(learnerOf(request), request.params.id, now()));
      if (!view) throw notFound(`drill session ${request.params.id}`);
      return view;
    },
  );

  api.post(
    '/drill-sessions/:id/items/:index/start',
    {
      schema: {
        summary: 'Open one part of a session: its timer runs from now (a started part keeps its start)',
        params: itemParams,
        response: { 200: sessionViewSchema, ...sessionErrors },
      },
    },
    async (request) =>
      call(drills.startItem(learnerOf(request), request.params.id, request.params.index, now())),
  );

  api.post(
    '/drill-sessions/:id/items/:index/answer',
    {
      schema: {
        summary: 'Answer one part: a self-grade (quick-fire) or rubric scores (mock); feeds the scheduler',
        params: itemParams,
        body: sessionAnswerBodySchema,
        response: { 200: sessionViewSchema, ...sessionErrors },
      },
    },
    async (request) =>
      call(
        drills.answerItem(learnerOf(request), request.params.id, request.params.index, request.body, now()),
      ),
  );

  api.post(
    '/drill-sessions/:id/finish',
    {
      schema: {
        summary: 'End a session (unanswered parts count as timed out) and compute its summary',
        params: sessionParams,
        response: { 200: sessionViewSchema, ...sessionErrors },
      },
    },
    async (request) => call(drills.finishSession(learnerOf(request), request.params.id, now())),
  );
}
