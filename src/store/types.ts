/**
 * The web app's storage: the one replaceable part. `openSqliteStore` (sqlite.ts) is today's
 * implementation; a PostgreSQL one would implement the same interface and pass the same
 * contract (contract.test-support.ts), so route code never changes.
 *
 * Units: every `...At` / `atMs` is milliseconds since the Unix epoch.
 */
import type { ExerciseProgress, JobKind, JobState, Progress } from '../core/api.js';

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
