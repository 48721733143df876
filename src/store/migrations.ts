/**
 * Versioned schema migrations, in code rather than files on disk so the built dist needs
 * nothing beside it. Only Kysely's schema builder is used, so every dialect runs the same
 * migrations. Rules: never edit a migration that has shipped; add the next one ("0002-...")
 * and update schema.ts. Names sort in the order they run.
 */
import {
  Migrator,
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
} from 'kysely';

const notNull = (column: ColumnDefinitionBuilder) => column.notNull();

/**
 * A table with one row per learner and lesson or exercise, keyed by both; the caller adds the
 * other columns. The key constraint is part of CREATE TABLE wherever it is added.
 */
function perLearnerTable(db: Kysely<unknown>, table: string, key: string) {
  return db.schema
    .createTable(table)
    .addColumn('learner_id', 'text', notNull)
    .addColumn(key, 'text', notNull)
    .addPrimaryKeyConstraint(`${table}_pk`, ['learner_id', key]);
}

/** 0001's tables, in the order they are created (dropped in reverse). */
const INITIAL_TABLES = ['lesson_progress', 'exercise_progress', 'saved_files', 'jobs'] as const;

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    // learner_id is plain text everywhere: 'local' today; accounts later add a learners
    // table whose ids fill the same columns.
    await perLearnerTable(db, 'lesson_progress', 'lesson_id')
      .addColumn('read_at', 'bigint', notNull)
      .execute();

    await perLearnerTable(db, 'exercise_progress', 'exercise_id')
      .addColumn('status', 'text', notNull)
      .addColumn('hints_shown', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('explanation_shown', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('solved_at', 'bigint')
      .execute();

    await perLearnerTable(db, 'saved_files', 'exercise_id')
      .addColumn('files_json', 'text', notNull)
      .addColumn('saved_at', 'bigint', notNull)
      .execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('learner_id', 'text', notNull)
      .addColumn('kind', 'text', notNull)
      .addColumn('target', 'text', notNull)
      .addColumn('state', 'text', notNull)
      .addColumn('created_at', 'bigint', notNull)
      .addColumn('started_at', 'bigint')
      .addColumn('finished_at', 'bigint')
      .addColumn('message', 'text')
      .addColumn('passed', 'integer')
      .addColumn('request_json', 'text', notNull)
      .addColumn('output_json', 'text', notNull)
      .addColumn('output_truncated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('progress_json', 'text', notNull)
      .addColumn('result_json', 'text')
      .execute();
    const jobIndexes: [name: string, columns: string[]][] = [
      // listJobs: one learner's history of one target, newest first ...
      ['jobs_learner_target_created', ['learner_id', 'target', 'created_at']],
      // ... or of every target.
      ['jobs_learner_created', ['learner_id', 'created_at']],
      // markUnfinishedInterrupted at start-up looks for queued/running jobs among all of them.
      ['jobs_state', ['state']],
    ];
    for (const [name, columns] of jobIndexes)
      await db.schema.createIndex(name).on('jobs').columns(columns).execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [...INITIAL_TABLES].reverse()) await db.schema.dropTable(table).execute();
  },
};

/** 0002's tables, in the order they are created (dropped in reverse). */
const DRILL_TABLES = ['drill_cards', 'drill_reviews', 'drill_settings', 'drill_sessions'] as const;

/**
 * Interview drills: one spaced-repetition card per learner and question, the log of every
 * review (kept, never deleted, so FSRS parameters can be fitted later; undo marks a row), the
 * learner's scheduler settings, and quick-fire rounds and mock interviews.
 */
const drills: Migration = {
  async up(db: Kysely<unknown>) {
    await perLearnerTable(db, 'drill_cards', 'drill_id')
      .addColumn('card_json', 'text', notNull)
      // Copied out of card_json so due counts can be a query.
      .addColumn('due_at', 'bigint', notNull)
      .addColumn('updated_at', 'bigint', notNull)
      .execute();

    await db.schema
      .createTable('drill_reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('learner_id', 'text', notNull)
      .addColumn('drill_id', 'text', notNull)
      .addColumn('source', 'text', notNull)
      .addColumn('session_id', 'text')
      .addColumn('grade', 'integer', notNull)
      .addColumn('log_json', 'text', notNull)
      .addColumn('card_before_json', 'text')
      .addColumn('card_after_json', 'text', notNull)
      .addColumn('typed_answer', 'text')
      .addColumn('duration_ms', 'bigint')
      .addColumn('reviewed_at', 'bigint', notNull)
      .addColumn('undone_at', 'bigint')
      .execute();
    // Undo and the learner's log, newest first.
    await db.schema
      .createIndex('drill_reviews_learner_reviewed')
      .on('drill_reviews')
      .columns(['learner_id', 'reviewed_at'])
      .execute();

    await db.schema
      .createTable('drill_settings')
      .addColumn('learner_id', 'text', (c) => c.primaryKey())
      .addColumn('settings_json', 'text', notNull)
      .execute();

    await db.schema
      .createTable('drill_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('learner_id', 'text', notNull)
      .addColumn('kind', 'text', notNull)
      .addColumn('started_at', 'bigint', notNull)
      .addColumn('finished_at', 'bigint')
      .addColumn('plan_json', 'text', notNull)
      .addColumn('answers_json', 'text', notNull)
      .addColumn('score', 'double precision')
      .execute();
    await db.schema
      .createIndex('drill_sessions_learner_started')
      .on('drill_sessions')
      .columns(['learner_id', 'started_at'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [...DRILL_TABLES].reverse()) await db.schema.dropTable(table).execute();
  },
};

/** Every migration by name, in the order they run. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-drills': drills,
};

/** Hands Kysely the in-code migrations (Kysely's FileMigrationProvider would need files on disk). */
export const inCodeMigrations: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};

/** Generic so callers pass their typed Kysely<Database>; migrations themselves see no table types. */
export function createMigrator<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({ db, provider: inCodeMigrations });
}

/**
 * Applies every pending migration; returns the names applied (empty when up to date).
 * Throws when one fails, or when the database has migrations this code does not know
 * (written by a newer perflab).
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const { error, results } = await createMigrator(db).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      failed ? `migration ${failed} failed: ${reason}` : `migrations could not run: ${reason}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
