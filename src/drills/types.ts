/**
 * The interview-prep service: what the server's /api/drills routes and the terminal's
 * `perflab drill` both call, so a question graded in one is scheduled the same in the other.
 * Every call takes the learner and the clock (`nowMs`, ms since the epoch): tests fix both.
 */
import type {
  DrillList,
  DrillSettings,
  DrillView,
  ReviewQueue,
  ReviewResult,
  SessionHistory,
  SessionView,
  UndoResult,
} from '../core/drill-api.js';
import type { z } from 'zod';
import type {
  drillListQuerySchema,
  mockBodySchema,
  quickFireBodySchema,
  reviewBodySchema,
  reviewQueueQuerySchema,
  sessionAnswerBodySchema,
} from '../core/drill-api.js';
import type { DrillReviewSource } from '../store/types.js';

export type DrillListQuery = z.output<typeof drillListQuerySchema>;
export type ReviewQueueQuery = z.output<typeof reviewQueueQuerySchema>;
export type ReviewBody = z.output<typeof reviewBodySchema>;
export type QuickFireBody = z.output<typeof quickFireBodySchema>;
export type MockBody = z.output<typeof mockBodySchema>;
export type SessionAnswerBody = z.output<typeof sessionAnswerBodySchema>;

/** What went wrong, for the caller to map: not-found → 404, conflict → 409, invalid → 400. */
export class DrillError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'DrillError';
  }
}

export interface DrillService {
  list(learnerId: string, query: DrillListQuery, nowMs: number): Promise<DrillList>;
  /**
   * null: no such drill. DrillError 'conflict' while a running mock interview of this learner
   * still hides its answer, unless `ignoreMockGuard` (the terminal's own mock flow, which prints
   * the answer only once the part ends).
   */
  get(
    learnerId: string,
    drillId: string,
    nowMs: number,
    options?: { ignoreMockGuard?: boolean },
  ): Promise<DrillView | null>;
  /** Due questions (most overdue first), then up to `newLimit` new ones in course order. */
  reviewQueue(learnerId: string, query: ReviewQueueQuery, nowMs: number): Promise<ReviewQueue>;
  /** Grades one question; `source`/`sessionId` when a quick-fire round or mock interview grades it. */
  review(
    learnerId: string,
    drillId: string,
    body: ReviewBody,
    nowMs: number,
    options?: { source?: DrillReviewSource; sessionId?: string | null; utcOffsetMinutes?: number },
  ): Promise<ReviewResult>;
  /** Takes back the learner's last grade. */
  undo(learnerId: string, nowMs: number, utcOffsetMinutes?: number): Promise<UndoResult>;
  getSettings(learnerId: string): Promise<DrillSettings>;
  setSettings(learnerId: string, settings: DrillSettings): Promise<DrillSettings>;

  startQuickFire(learnerId: string, body: QuickFireBody, nowMs: number): Promise<SessionView>;
  startMock(learnerId: string, body: MockBody, nowMs: number): Promise<SessionView>;
  /** null: no such session for this learner (another learner's is not found either). */
  getSession(learnerId: string, sessionId: string, nowMs: number): Promise<SessionView | null>;
  /** Starts the timer of one part (idempotent: a started part keeps its start). */
  startItem(learnerId: string, sessionId: string, index: number, nowMs: number): Promise<SessionView>;
  /** Records the answer of one part and feeds the scheduler; conflict when already answered. */
  answerItem(
    learnerId: string,
    sessionId: string,
    index: number,
    body: SessionAnswerBody,
    nowMs: number,
  ): Promise<SessionView>;
  /** Ends the session (unanswered parts count as timed out) and computes its summary. */
  finishSession(learnerId: string, sessionId: string, nowMs: number): Promise<SessionView>;
  history(learnerId: string, kind: 'quick-fire' | 'mock' | undefined, limit: number): Promise<SessionHistory>;
}
