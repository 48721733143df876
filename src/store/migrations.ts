/**
 * Versioned schema migrations, in code rather than files on disk so the built dist needs
 * nothing beside it. Only Kysely's schema builder is used, so every dialect runs the same
 * migrations. Rules: never edit a migration that has shipped; add the next one ("0002-...")
 * and update schema.ts. Names sort in the order they run.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    // learner_id is plain text everywhere: 'local' today; accounts later add a learners
    // table whose ids fill the same columns.
    await db.schema
      .createTable('lesson_progress')
      .addColumn('learner_id', 'text', (c) => c.notNull())
      .addColumn('lesson_id', 'text', (c) => c.notNull())
      .addColumn('read_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('lesson_progress_pk', ['learner_id', 'lesson_id'])
      .execute();

    await db.schema
      .createTable('exercise_progress')
      .addColumn('learner_id', 'text', (c) => c.notNull())
      .addColumn('exercise_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('hints_shown', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('explanation_shown', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('solved_at', 'bigint')
      .addPrimaryKeyConstraint('exercise_progress_pk', ['learner_id', 'exercise_id'])
      .execute();

    await db.schema
      .createTable('saved_files')
      .addColumn('learner_id', 'text', (c) => c.notNull())
      .addColumn('exercise_id', 'text', (c) => c.notNull())
      .addColumn('files_json', 'text', (c) => c.notNull())
      .addColumn('saved_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('saved_files_pk', ['learner_id', 'exercise_id'])
      .execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('learner_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('finished_at', 'bigint')
      .addColumn('message', 'text')
      .addColumn('passed', 'integer')
      .addColumn('request_json', 'text', (c) => c.notNull())
      .addColumn('output_json', 'text', (c) => c.notNull())
      .addColumn('output_truncated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('progress_json', 'text', (c) => c.notNull())
      .addColumn('result_json', 'text')
      .execute();
    // listJobs: one learner's history of one target, newest first ...
    await db.schema
      .createIndex('jobs_learner_target_created')
      .on('jobs')
      .columns(['learner_id', 'target', 'created_at'])
      .execute();
    // ... or of every target.
    await db.schema
      .createIndex('jobs_learner_created')
      .on('jobs')
      .columns(['learner_id', 'created_at'])
      .execute();
    // markUnfinishedInterrupted at start-up looks for queued/running jobs among all of them.
    await db.schema.createIndex('jobs_state').on('jobs').column('state').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('jobs').execute();
    await db.schema.dropTable('saved_files').execute();
    await db.schema.dropTable('exercise_progress').execute();
    await db.schema.dropTable('lesson_progress').execute();
  },
};

/** Every migration by name, in the order they run. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
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
