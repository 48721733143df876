/**
 * The tables as Kysely sees them (column names are the SQL ones). Kept portable between
 * SQLite and PostgreSQL:
 * - booleans are integers 0/1, because better-sqlite3 cannot bind JavaScript booleans and
 *   one set of queries serves every dialect;
 * - times are `bigint` milliseconds since the epoch (PostgreSQL's `integer` would overflow);
 * - JSON documents are text, parsed and serialised in kysely-store.ts.
 * Must match migrations.ts: a new column there is a new field here.
 */
import type { ExerciseStatus } from './types.js';
import type { JobKind, JobState } from '../core/api.js';

/** 0 = false, 1 = true. */
export type IntBool = 0 | 1;

export interface LessonProgressTable {
  learner_id: string;
  lesson_id: string;
  read_at: number;
}

export interface ExerciseProgressTable {
  learner_id: string;
  exercise_id: string;
  status: ExerciseStatus;
  hints_shown: number;
  explanation_shown: IntBool;
  solved_at: number | null;
}

/** One row per saved set: the set is replaced as a whole, so one row keeps that atomic. */
export interface SavedFilesTable {
  learner_id: string;
  exercise_id: string;
  /** JSON object: relative path → text content. */
  files_json: string;
  saved_at: number;
}

export interface JobsTable {
  id: string;
  learner_id: string;
  kind: JobKind;
  target: string;
  state: JobState;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  message: string | null;
  passed: IntBool | null;
  request_json: string;
  output_json: string;
  output_truncated: IntBool;
  progress_json: string;
  /** null until the job has a result. */
  result_json: string | null;
}

export interface Database {
  lesson_progress: LessonProgressTable;
  exercise_progress: ExerciseProgressTable;
  saved_files: SavedFilesTable;
  jobs: JobsTable;
}
