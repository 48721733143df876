/**
 * The web app's storage: the one replaceable part. `openSqliteStore` (sqlite.ts) is today's
 * implementation; a PostgreSQL one would implement the same interface and pass the same
 * contract (contract.test-support.ts), so route code never changes.
 *
 * Units: every `...At` / `atMs` is milliseconds since the Unix epoch.
 */
import type { ExerciseProgress, JobKind, JobState, Progress } from '../core/api.js';
import type { DrillCard, DrillReviewLog } from '../core/drills/scheduler.js';

export type ExerciseStatus = ExerciseProgress['status'];

/**
 * The one implicit learner of a local perflab: `perflab serve` and the terminal commands both
 * keep their progress under this id, so the browser and the terminal show the same progress.
 */
export const LOCAL_LEARNER_ID = 'local';

/** The order statuses move in; a status never moves back (see Store.advanceExercise). */
export const EXERCISE_STATUS_ORDER: readonly ExerciseStatus[] = [
  'not-started',
  'started',
  'attempted',
  'solved',
];

export interface JobRecord {
  id: string;
  learnerId: string;
  kind: JobKind;
  /** "exercise:<id>", "lesson:<id>#<n>", "workbench". */
  target: string;
  state: JobState;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  message: string | null;
  passed: boolean | null;
  /** The request as received: a JSON document, stored as text. */
  request: unknown;
  /** Output chunks (OutputChunkView), JSON. */
  output: unknown[];
  outputTruncated: boolean;
  progress: string[];
  /** The JobResultView once finished: a JSON document. */
  result: unknown | null;
}

export type JobPatch = Partial<
  Omit<JobRecord, 'id' | 'learnerId' | 'kind' | 'target' | 'createdAt' | 'request'>
>;

export interface ListJobsQuery {
  learnerId: string;
  /** Only jobs of this target ("exercise:<id>", ...); omitted: every target. */
  target?: string;
  limit: number;
}

// ---------------------------------------------------------------- interview drills

/** The learner's spaced-repetition card for one drill question. */
export interface DrillCardRecord {
  drillId: string;
  card: DrillCard;
  updatedAt: number;
}

export type DrillReviewSource = 'review' | 'quick-fire' | 'mock';

/** One graded review, as logged. Reviews are never deleted; an undone one keeps `undoneAt`. */
export interface DrillReviewRecord {
  /** Caller-chosen, unique (a UUID). */
  id: string;
  learnerId: string;
  drillId: string;
  source: DrillReviewSource;
  /** The quick-fire round or mock interview it belongs to, if any. */
  sessionId: string | null;
  log: DrillReviewLog;
  /** The card before this review (null: the question had never been graded), restored by undo. */
  cardBefore: DrillCard | null;
  cardAfter: DrillCard;
  typedAnswer: string | null;
  durationMs: number | null;
  /** = log.reviewedAtMs. */
  reviewedAt: number;
  undoneAt: number | null;
}

export interface DrillSettingsRecord {
  /** 0.7..0.97 */
  targetRetention: number;
}

/**
 * A quick-fire round or a mock interview. `plan` and `answers` are JSON documents owned by the
 * drills service (src/drills); the store keeps them whole.
 */
export interface DrillSessionRecord {
  id: string;
  learnerId: string;
  kind: 'quick-fire' | 'mock';
  startedAt: number;
  finishedAt: number | null;
  plan: unknown;
  answers: unknown;
  /** Overall 0..1 once finished (for the history trend without parsing answers). */
  score: number | null;
}

export type DrillSessionPatch = Partial<
  Pick<DrillSessionRecord, 'finishedAt' | 'plan' | 'answers' | 'score'>
>;

/**
 * Everything the web app keeps. Each learner's data is keyed by a plain `learnerId` ('local'
 * today; account ids later), so accounts need no change to these calls.
 */
export interface Store {
  // ------------------------------------------------------------ progress
  /** Only lessons and exercises the learner touched appear; the rest are "not started". */
  getProgress(learnerId: string): Promise<Progress>;
  /** Keeps the first read: reading a lesson again does not move `readAt`. */
  markLessonRead(learnerId: string, lessonId: string, atMs: number): Promise<void>;
  /** Status only moves forward: not-started < started < attempted < solved (solved sets solvedAt once). */
  advanceExercise(
    learnerId: string,
    exerciseId: string,
    status: 'started' | 'attempted' | 'solved',
    atMs: number,
  ): Promise<void>;
  /** Never decreases: a smaller count than stored is ignored. Rejects a negative or fractional count. */
  setHintsShown(learnerId: string, exerciseId: string, hintsShown: number): Promise<void>;
  markExplanationShown(learnerId: string, exerciseId: string): Promise<void>;

  // ------------------------------------------------------------ saved code per exercise
  /** null when the learner never saved (or reset): show the starter files. */
  getSavedFiles(
    learnerId: string,
    exerciseId: string,
  ): Promise<{ files: Record<string, string>; savedAt: number } | null>;
  /** Replaces the whole set: files missing from `files` are no longer saved. */
  saveFiles(
    learnerId: string,
    exerciseId: string,
    files: Record<string, string>,
    atMs: number,
  ): Promise<void>;
  /** "Reset to starter". Progress is kept. */
  deleteSavedFiles(learnerId: string, exerciseId: string): Promise<void>;

  // ------------------------------------------------------------ job history
  /** Rejects when a job with this id exists. */
  insertJob(job: JobRecord): Promise<void>;
  /** Sets the given fields (undefined ones are left alone). Rejects when no job has this id. */
  updateJob(id: string, patch: JobPatch): Promise<void>;
  getJob(id: string): Promise<JobRecord | null>;
  /** Newest first (createdAt descending; equal createdAt: id descending). */
  listJobs(query: ListJobsQuery): Promise<JobRecord[]>;
  /** At start-up: jobs left queued/running by a previous process become 'interrupted'. Returns how many. */
  markUnfinishedInterrupted(atMs: number): Promise<number>;

  // ------------------------------------------------------------ interview drills
  /** Every card the learner has (questions never graded have none). */
  getDrillCards(learnerId: string): Promise<DrillCardRecord[]>;
  getDrillCard(learnerId: string, drillId: string): Promise<DrillCardRecord | null>;
  /**
   * In one transaction: appends the review to the log and sets the card to `review.cardAfter`.
   * Rejects when a review with this id exists.
   */
  recordDrillReview(review: Omit<DrillReviewRecord, 'undoneAt'>): Promise<void>;
  /**
   * Takes back the learner's most recent review that is not undone (latest reviewedAt, then
   * id): restores its `cardBefore` (deleting the card when null) and sets its `undoneAt`, in
   * one transaction. Returns the review as it now stands, or null when there is none.
   */
  undoLastDrillReview(learnerId: string, atMs: number): Promise<DrillReviewRecord | null>;
  /** Newest first (reviewedAt, then id, descending); undone ones included. */
  listDrillReviews(
    learnerId: string,
    query: { drillId?: string; sessionId?: string; limit: number },
  ): Promise<DrillReviewRecord[]>;
  /** The defaults ({ targetRetention: 0.9 }) when never set. */
  getDrillSettings(learnerId: string): Promise<DrillSettingsRecord>;
  setDrillSettings(learnerId: string, settings: DrillSettingsRecord): Promise<void>;
  /** Rejects when a session with this id exists. */
  insertDrillSession(session: DrillSessionRecord): Promise<void>;
  /** Only the learner's own session changes; returns false when it has none with this id. */
  updateDrillSession(learnerId: string, id: string, patch: DrillSessionPatch): Promise<boolean>;
  /** null when it does not exist or belongs to another learner. */
  getDrillSession(learnerId: string, id: string): Promise<DrillSessionRecord | null>;
  /** Newest first (startedAt, then id, descending). */
  listDrillSessions(
    learnerId: string,
    query: { kind?: DrillSessionRecord['kind']; limit: number },
  ): Promise<DrillSessionRecord[]>;

  /**
   * Changes whenever another connection or process committed to the database since the last
   * call (SQLite's `PRAGMA data_version`); absent when the store cannot tell. A cache of reads
   * (progress-cache.ts) drops itself when it changes: the terminal commands write while
   * `perflab serve` runs.
   */
  externalChanges?(): number;

  /** Idempotent; every other call rejects afterwards. */
  close(): Promise<void>;
}
