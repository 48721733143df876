/**
 * The interview-prep API (/api/drills/...): request bodies and responses as zod schemas
 * (they feed the OpenAPI document) and their TypeScript types. Shared by the server, the web
 * app (types only) and the terminal's `perflab drill`, which calls the same service.
 *
 * Units: every `...AtMs` is ms since the epoch; `...Sec` seconds; `...Ms` durations in ms.
 */
import { z } from 'zod';
import { idParam } from './api.js';

export const drillKindSchema = z.enum(['quick-fire', 'scenario', 'code-reading']);
export type DrillKind = z.infer<typeof drillKindSchema>;
export const drillStatusSchema = z.enum(['new', 'learning', 'due', 'known']);
export const drillGradeSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

/** When the question comes back for each grade ("1".."4" → ms since the epoch). */
const gradePreviewSchema = z.object({ 1: z.number(), 2: z.number(), 3: z.number(), 4: z.number() });

/** A question in lists: enough to filter and to show its state, not its answer. */
export const drillSummarySchema = z.object({
  id: idParam,
  kind: drillKindSchema,
  module: idParam,
  topics: z.array(idParam),
  lesson: idParam,
  question: z.string(),
  status: drillStatusSchema,
  /** null for a question never graded. */
  dueAtMs: z.number().nullable(),
});
export type DrillSummary = z.infer<typeof drillSummarySchema>;

export const drillCountsSchema = z.object({
  total: z.number().int(),
  new: z.number().int(),
  learning: z.number().int(),
  due: z.number().int(),
  known: z.number().int(),
  /** Due now or later today (learner's day, from `utcOffsetMinutes`), including `due`. */
  dueToday: z.number().int(),
});
export type DrillCounts = z.infer<typeof drillCountsSchema>;

/** GET /api/drills?module=&topic=&kind= */
export const drillListQuerySchema = z.object({
  module: idParam.optional(),
  topic: idParam.optional(),
  kind: drillKindSchema.optional(),
  /** Minutes east of UTC (the browser's -getTimezoneOffset()): where "today" ends. */
  utcOffsetMinutes: z.coerce.number().int().min(-840).max(840).default(0),
});
export const drillListSchema = z.object({
  drills: z.array(drillSummarySchema),
  counts: drillCountsSchema,
  modules: z.array(z.object({ id: idParam, title: z.string(), counts: drillCountsSchema })),
  topics: z.array(z.object({ id: idParam, title: z.string(), module: idParam, count: z.number().int() })),
  settings: z.lazy(() => drillSettingsSchema),
});
export type DrillList = z.infer<typeof drillListSchema>;

/**
 * Real tool output a code-reading question shows: a profile or timeit job result, recorded by
 * running the question's program with perflab (`perflab check` keeps it current). `result` is
 * a JobResultView of kind 'profile' or 'timeit', rendered by the same views as the workbench.
 */
export const drillOutputSchema = z.object({
  tool: z.enum(['profile', 'timeit']),
  /** The program that produced it, as shown to the learner. */
  program: z.object({ name: z.string(), source: z.string() }),
  /** The command that reproduces it, e.g. "perflab profile slow_report.py --lines". */
  command: z.string(),
  recordedAtMs: z.number(),
  python: z.string(),
  result: z.looseObject({ kind: z.enum(['profile', 'timeit']) }),
});
export type DrillOutput = z.infer<typeof drillOutputSchema>;

/** A whole question with its answers (GET /api/drills/:id, review queues, browse). */
export const drillViewSchema = drillSummarySchema.extend({
  /** The short answer (Markdown). */
  answer: z.string(),
  /** The full answer (Markdown). */
  full: z.string(),
  /** The rubric: 3–6 points a strong answer names. */
  keyPoints: z.array(z.string()),
  lessonTitle: z.string(),
  output: drillOutputSchema.nullable(),
  /** When it comes back for each grade if graded now. */
  next: gradePreviewSchema,
});
export type DrillView = z.infer<typeof drillViewSchema>;

/** GET /api/drills/review?module=&topic=&limit= : due questions first, then new ones. */
export const reviewQueueQuerySchema = z.object({
  module: idParam.optional(),
  topic: idParam.optional(),
  /** New questions to introduce after the due ones (default 10). */
  newLimit: z.coerce.number().int().min(0).max(200).default(10),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  utcOffsetMinutes: z.coerce.number().int().min(-840).max(840).default(0),
});
export const reviewQueueSchema = z.object({
  drills: z.array(drillViewSchema),
  counts: drillCountsSchema,
});
export type ReviewQueue = z.infer<typeof reviewQueueSchema>;

export const reviewSourceSchema = z.enum(['review', 'quick-fire', 'mock']);

/** POST /api/drills/:id/review */
export const reviewBodySchema = z.object({
  grade: drillGradeSchema,
  /** What the learner typed before revealing (kept in the log; never graded by us). */
  typedAnswer: z.string().max(20_000).optional(),
  /** Time from showing the question to grading, ms. */
  durationMs: z.number().int().min(0).max(86_400_000).optional(),
});
export const reviewResultSchema = z.object({
  reviewId: z.string(),
  drillId: idParam,
  status: drillStatusSchema,
  dueAtMs: z.number(),
  counts: drillCountsSchema,
});
export type ReviewResult = z.infer<typeof reviewResultSchema>;

/** POST /api/drills/undo: takes back the learner's last grade (any source). */
export const undoResultSchema = z.object({
  /** null when there was nothing to undo. */
  drill: drillViewSchema.nullable(),
  counts: drillCountsSchema,
});
export type UndoResult = z.infer<typeof undoResultSchema>;

export const drillSettingsSchema = z.object({
  /** 0.7..0.97: the recall probability FSRS aims for when a question comes due. */
  targetRetention: z.number().min(0.7).max(0.97),
});
export type DrillSettings = z.infer<typeof drillSettingsSchema>;

// ---------------------------------------------------------------- sessions: quick-fire and mock

export const sessionKindSchema = z.enum(['quick-fire', 'mock']);

/** POST /api/drills/quick-fire */
export const quickFireBodySchema = z.object({
  count: z.number().int().min(1).max(100).default(30),
  /** Draw only from these topics (default: every topic of `module`, else of the course). */
  topics: z.array(idParam).max(50).optional(),
  module: idParam.optional(),
  /** Per-question timer, seconds (default 60). */
  secondsPerQuestion: z.number().int().min(10).max(600).default(60),
});

/** POST /api/drills/mock */
export const mockBodySchema = z.object({
  module: idParam.optional(),
  /** Add one debugging exercise, solved in the real workspace within a time box. */
  includeExercise: z.boolean().default(false),
});

/**
 * One timed part of a session. The answer fields stay null until the part is answered or its
 * time is up (the server decides from its own clock).
 */
export const sessionItemSchema = z.object({
  index: z.number().int(),
  kind: z.enum(['quick-fire', 'scenario', 'code-reading', 'exercise']),
  /** The drill (kinds other than 'exercise') or the exercise id. */
  refId: idParam,
  title: z.string(),
  question: z.string(),
  timeLimitSec: z.number().int(),
  /** Set when the learner opened this part (its timer runs from here). */
  startedAtMs: z.number().nullable(),
  answeredAtMs: z.number().nullable(),
  /** Revealed once answered or timed out: */
  answer: z.string().nullable(),
  full: z.string().nullable(),
  keyPoints: z.array(z.string()).nullable(),
  output: drillOutputSchema.nullable(),
  /** The learner's result for this part, once answered. */
  grade: drillGradeSchema.nullable(),
  /** Mock: rubric points 0..2 each (same order as keyPoints), and communication 0..2. */
  rubric: z
    .object({
      points: z.array(z.number().int().min(0).max(2)),
      communication: z.number().int().min(0).max(2),
    })
    .nullable(),
  /** Exercise parts: did a verification pass inside the time box (decided by the server from job history). */
  solvedInTime: z.boolean().nullable(),
  secondsTaken: z.number().nullable(),
});
export type SessionItem = z.infer<typeof sessionItemSchema>;

export const topicScoreSchema = z.object({
  topic: idParam,
  title: z.string(),
  asked: z.number().int(),
  /** Mean score 0..1 (grade 1 → 0, 4 → 1; rubric: fraction of points). */
  score: z.number(),
  lessons: z.array(z.object({ id: idParam, title: z.string() })),
});

export const sessionViewSchema = z.object({
  id: z.string(),
  kind: sessionKindSchema,
  startedAtMs: z.number(),
  finishedAtMs: z.number().nullable(),
  items: z.array(sessionItemSchema),
  /** Once finished: overall 0..1, weakest topics first, lessons to reread. */
  summary: z
    .object({
      score: z.number(),
      answered: z.number().int(),
      timedOut: z.number().int(),
      weakestTopics: z.array(topicScoreSchema),
      totalSecondsTaken: z.number(),
    })
    .nullable(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

/** POST /api/drill-sessions/:id/items/:index/start */
/** POST /api/drill-sessions/:id/items/:index/answer */
export const sessionAnswerBodySchema = z.object({
  /** Quick-fire: the self-grade. Mock: derived from `rubric` when omitted. */
  grade: drillGradeSchema.optional(),
  rubric: z
    .object({
      points: z.array(z.number().int().min(0).max(2)).max(10),
      communication: z.number().int().min(0).max(2),
    })
    .optional(),
  typedAnswer: z.string().max(20_000).optional(),
});

/** GET /api/drill-sessions?kind=mock : history, newest first, with the trend. */
export const sessionHistorySchema = z.object({
  sessions: z.array(
    z.object({
      id: z.string(),
      kind: sessionKindSchema,
      startedAtMs: z.number(),
      finishedAtMs: z.number().nullable(),
      score: z.number().nullable(),
      items: z.number().int(),
    }),
  ),
});
export type SessionHistory = z.infer<typeof sessionHistorySchema>;
