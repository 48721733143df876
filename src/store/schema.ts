/**
 * The tables as Kysely sees them (column names are the SQL ones). Kept portable between
 * SQLite and PostgreSQL:
 * - booleans are integers 0/1, because better-sqlite3 cannot bind JavaScript booleans and
 *   one set of queries serves every dialect;
 * - times are `bigint` milliseconds since the epoch (PostgreSQL's `integer` would overflow);
 * - JSON documents are text, parsed and serialised in kysely-store.ts.
 * Must match migrations.ts: a new column there is a new field here.
 */
import type { DrillReviewSource, ExerciseStatus } from './types.js';
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

export interface DrillCardsTable {
  learner_id: string;
  drill_id: string;
  /** JSON: DrillCard (core/drills/scheduler.ts). */
  card_json: string;
  /** = the card's dueAtMs. */
  due_at: number;
  updated_at: number;
}

export interface DrillReviewsTable {
  id: string;
  learner_id: string;
  drill_id: string;
  source: DrillReviewSource;
  session_id: string | null;
  grade: number;
  /** JSON: DrillReviewLog. */
  log_json: string;
  /** JSON DrillCard, null when the question had never been graded. */
  card_before_json: string | null;
  card_after_json: string;
  typed_answer: string | null;
  duration_ms: number | null;
  reviewed_at: number;
  undone_at: number | null;
}

export interface DrillSettingsTable {
  learner_id: string;
  /** JSON: DrillSettingsRecord. */
  settings_json: string;
}

export interface DrillSessionsTable {
  id: string;
  learner_id: string;
  kind: 'quick-fire' | 'mock';
  started_at: number;
  finished_at: number | null;
  plan_json: string;
  answers_json: string;
  score: number | null;
}

export interface Database {
  lesson_progress: LessonProgressTable;
  exercise_progress: ExerciseProgressTable;
  saved_files: SavedFilesTable;
  jobs: JobsTable;
  drill_cards: DrillCardsTable;
  drill_reviews: DrillReviewsTable;
  drill_settings: DrillSettingsTable;
  drill_sessions: DrillSessionsTable;
}
