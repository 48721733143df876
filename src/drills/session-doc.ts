/**
 * The two JSON documents a drill session keeps in the store (`plan` and `answers` of a
 * DrillSessionRecord), versioned so a later perflab can read an older session or refuse it
 * clearly. Both are validated when read back: the store keeps them as opaque JSON.
 *
 * Invariant: `answers.items` has one entry per `plan.items` entry, same order.
 */
import { z } from 'zod';
import { drillGradeSchema } from '../core/drill-api.js';

export const SESSION_DOC_VERSION = 1;

const planItemSchema = z.object({
  kind: z.enum(['quick-fire', 'scenario', 'code-reading', 'exercise']),
  /** Drill id, or exercise id for 'exercise'. */
  refId: z.string(),
  topics: z.array(z.string()),
  timeLimitSec: z.number().int().positive(),
});
export type PlanItem = z.infer<typeof planItemSchema>;

export const sessionPlanSchema = z.object({
  version: z.literal(SESSION_DOC_VERSION),
  /** The seed the parts were drawn with (replays the draw for the same cards and course). */
  seed: z.number().int(),
  /** Quick-fire: how many questions were asked for; more than items.length when too few matched. */
  requested: z.number().int(),
  /** How many questions matched the filter when drawing. */
  available: z.number().int(),
  filter: z.object({
    module: z.string().optional(),
    topics: z.array(z.string()).optional(),
  }),
  items: z.array(planItemSchema),
});
export type SessionPlan = z.infer<typeof sessionPlanSchema>;

const rubricSchema = z.object({
  points: z.array(z.number().int().min(0).max(2)),
  communication: z.number().int().min(0).max(2),
});

const answerSchema = z.object({
  /** Server clock, ms since the epoch. */
  startedAtMs: z.number().nullable(),
  answeredAtMs: z.number().nullable(),
  /** Answered after its time limit, or never answered when the session ended. */
  timedOut: z.boolean(),
  grade: drillGradeSchema.nullable(),
  rubric: rubricSchema.nullable(),
  /** Exercise parts: a verification passed inside the time box (decided from job history). */
  solvedInTime: z.boolean().nullable(),
  /** 0..1 once answered (exercise: 1 solved in time, else 0). */
  score: z.number().min(0).max(1).nullable(),
  typedAnswer: z.string().nullable(),
  /** The scheduler review this answer made (drill parts). */
  reviewId: z.string().nullable(),
});
export type SessionAnswer = z.infer<typeof answerSchema>;

export const sessionAnswersSchema = z.object({
  version: z.literal(SESSION_DOC_VERSION),
  items: z.array(answerSchema),
});
export type SessionAnswers = z.infer<typeof sessionAnswersSchema>;

export function emptyAnswer(): SessionAnswer {
  return {
    startedAtMs: null,
    answeredAtMs: null,
    timedOut: false,
    grade: null,
    rubric: null,
    solvedInTime: null,
    score: null,
    typedAnswer: null,
    reviewId: null,
  };
}

/** Thrown when a stored session does not match its schema (a corrupt or foreign row). */
export class SessionDocumentError extends Error {
  constructor(sessionId: string, part: 'plan' | 'answers', issues: string) {
    super(
      `drill session ${sessionId}: its ${part} is not a perflab session document (v${SESSION_DOC_VERSION}): ${issues}`,
    );
    this.name = 'SessionDocumentError';
  }
}

export function parseSessionDocs(
  sessionId: string,
  plan: unknown,
  answers: unknown,
): { plan: SessionPlan; answers: SessionAnswers } {
  const parsedPlan = sessionPlanSchema.safeParse(plan);
  if (!parsedPlan.success)
    throw new SessionDocumentError(sessionId, 'plan', z.prettifyError(parsedPlan.error));
  const parsedAnswers = sessionAnswersSchema.safeParse(answers);
  if (!parsedAnswers.success) {
    throw new SessionDocumentError(sessionId, 'answers', z.prettifyError(parsedAnswers.error));
  }
  if (parsedAnswers.data.items.length !== parsedPlan.data.items.length) {
    throw new SessionDocumentError(
      sessionId,
      'answers',
      `${parsedAnswers.data.items.length} answers for ${parsedPlan.data.items.length} parts`,
    );
  }
  return { plan: parsedPlan.data, answers: parsedAnswers.data };
}
