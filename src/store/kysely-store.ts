/**
 * All the queries, written once over Kysely so every dialect (SQLite today, PostgreSQL later)
 * shares them. Dialect-specific set-up (opening, pragmas) lives in sqlite.ts and its siblings.
 *
 * Progress writes are single upserts with a condition (ON CONFLICT ... DO UPDATE ... WHERE),
 * not read-then-write, so "only forward" and "never decreases" hold even when two requests
 * race on a database with several connections.
 */
import type { ExpressionBuilder, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Progress } from '../core/api.js';
import { checkLimit, drillQueries } from './drill-queries.js';
import type { Database, ExerciseProgressTable, IntBool, JobsTable } from './schema.js';
import {
  EXERCISE_STATUS_ORDER,
  type ExerciseStatus,
  type JobPatch,
  type JobRecord,
  type Store,
} from './types.js';

/** What an interrupted job says happened (the server may not be the one that restarted). */
export const INTERRUPTED_MESSAGE = 'perflab stopped before this job finished; start it again.';

const toIntBool = (value: boolean): IntBool => (value ? 1 : 0);
const fromIntBool = (value: number): boolean => value !== 0;
/** undefined would vanish from JSON.stringify; it is stored as null. */
const toJson = (value: unknown): string => JSON.stringify(value ?? null);

type ExerciseProgressEb = ExpressionBuilder<
  Database & { excluded: Database['exercise_progress'] },
  'exercise_progress' | 'excluded'
>;

/** A status's place in EXERCISE_STATUS_ORDER, as SQL (CASE), to compare stored and new. */
function statusRank(eb: ExerciseProgressEb, column: 'exercise_progress.status' | 'excluded.status') {
  let ranked = eb.case(eb.ref(column)).when(EXERCISE_STATUS_ORDER[0]!).then(0);
  for (let rank = 1; rank < EXERCISE_STATUS_ORDER.length; rank++) {
    ranked = ranked.when(EXERCISE_STATUS_ORDER[rank]!).then(rank);
  }
  return ranked.else(-1).end();
}

/** The row of an exercise the learner had not touched, with `changes`: what each progress upsert inserts. */
function exerciseRow(
  learnerId: string,
  exerciseId: string,
  changes: Partial<Insertable<ExerciseProgressTable>>,
): Insertable<ExerciseProgressTable> {
  return {
    learner_id: learnerId,
    exercise_id: exerciseId,
    status: 'not-started',
    hints_shown: 0,
    explanation_shown: 0,
    solved_at: null,
    ...changes,
  };
}

function rowToJob(row: Selectable<JobsTable>): JobRecord {
  return {
    id: row.id,
    learnerId: row.learner_id,
    kind: row.kind,
    target: row.target,
    state: row.state,
    createdAt: Number(row.created_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    message: row.message,
    passed: row.passed === null ? null : fromIntBool(row.passed),
    request: JSON.parse(row.request_json) as unknown,
    output: JSON.parse(row.output_json) as unknown[],
    outputTruncated: fromIntBool(row.output_truncated),
    progress: JSON.parse(row.progress_json) as string[],
    result: row.result_json === null ? null : (JSON.parse(row.result_json) as unknown),
  };
}

function patchToColumns(patch: JobPatch): Updateable<JobsTable> {
  const set: Updateable<JobsTable> = {};
  if (patch.state !== undefined) set.state = patch.state;
  if (patch.startedAt !== undefined) set.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
  if (patch.message !== undefined) set.message = patch.message;
  if (patch.passed !== undefined) set.passed = patch.passed === null ? null : toIntBool(patch.passed);
  if (patch.output !== undefined) set.output_json = toJson(patch.output);
  if (patch.outputTruncated !== undefined) set.output_truncated = toIntBool(patch.outputTruncated);
  if (patch.progress !== undefined) set.progress_json = toJson(patch.progress);
  if (patch.result !== undefined) set.result_json = patch.result === null ? null : toJson(patch.result);
  return set;
}

/**
 * The Store over any Kysely database whose schema is migrated (migrations.ts). The store owns
 * `db`: close() destroys it.
 */
export function createKyselyStore(db: Kysely<Database>): Store {
  let closed = false;

  return {
    async getProgress(learnerId) {
      const [lessons, exercises] = await Promise.all([
        db
          .selectFrom('lesson_progress')
          .select(['lesson_id', 'read_at'])
          .where('learner_id', '=', learnerId)
          .execute(),
        db
          .selectFrom('exercise_progress')
          .select(['exercise_id', 'status', 'hints_shown', 'explanation_shown', 'solved_at'])
          .where('learner_id', '=', learnerId)
          .execute(),
      ]);
      const progress: Progress = { lessons: {}, exercises: {} };
      for (const row of lessons) progress.lessons[row.lesson_id] = { readAt: Number(row.read_at) };
      for (const row of exercises) {
        progress.exercises[row.exercise_id] = {
          status: row.status,
          hintsShown: row.hints_shown,
          explanationShown: fromIntBool(row.explanation_shown),
          solvedAt: row.solved_at === null ? null : Number(row.solved_at),
        };
      }
      return progress;
    },

    async markLessonRead(learnerId, lessonId, atMs) {
      await db
        .insertInto('lesson_progress')
        .values({ learner_id: learnerId, lesson_id: lessonId, read_at: atMs })
        .onConflict((oc) => oc.columns(['learner_id', 'lesson_id']).doNothing())
        .execute();
    },

    async advanceExercise(learnerId, exerciseId, status, atMs) {
      if (!(['started', 'attempted', 'solved'] as const satisfies ExerciseStatus[]).includes(status)) {
        throw new RangeError(`advanceExercise: unknown status ${JSON.stringify(status)}`);
      }
      await db
        .insertInto('exercise_progress')
        .values(exerciseRow(learnerId, exerciseId, { status, solved_at: status === 'solved' ? atMs : null }))
        .onConflict((oc) =>
          oc
            .columns(['learner_id', 'exercise_id'])
            .doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              // Only a move to 'solved' brings a solved_at, and 'solved' is never left, so this
              // sets it once; coalesce keeps a stored one regardless.
              solved_at: eb.fn.coalesce('exercise_progress.solved_at', 'excluded.solved_at'),
            }))
            .where((eb) =>
              eb(statusRank(eb, 'exercise_progress.status'), '<', statusRank(eb, 'excluded.status')),
            ),
        )
        .execute();
    },

    async setHintsShown(learnerId, exerciseId, hintsShown) {
      if (!Number.isSafeInteger(hintsShown) || hintsShown < 0) {
        throw new RangeError(`setHintsShown: hintsShown must be a whole number ≥ 0, got ${hintsShown}`);
      }
      await db
        .insertInto('exercise_progress')
        .values(exerciseRow(learnerId, exerciseId, { hints_shown: hintsShown }))
        .onConflict((oc) =>
          oc
            .columns(['learner_id', 'exercise_id'])
            .doUpdateSet((eb) => ({ hints_shown: eb.ref('excluded.hints_shown') }))
            .where('exercise_progress.hints_shown', '<', (eb) => eb.ref('excluded.hints_shown')),
        )
        .execute();
    },

    async markExplanationShown(learnerId, exerciseId) {
      await db
        .insertInto('exercise_progress')
        .values(exerciseRow(learnerId, exerciseId, { explanation_shown: 1 }))
        .onConflict((oc) => oc.columns(['learner_id', 'exercise_id']).doUpdateSet({ explanation_shown: 1 }))
        .execute();
    },

    async getSavedFiles(learnerId, exerciseId) {
      const row = await db
        .selectFrom('saved_files')
        .select(['files_json', 'saved_at'])
        .where('learner_id', '=', learnerId)
        .where('exercise_id', '=', exerciseId)
        .executeTakeFirst();
      if (row === undefined) return null;
      return { files: JSON.parse(row.files_json) as Record<string, string>, savedAt: Number(row.saved_at) };
    },

    async saveFiles(learnerId, exerciseId, files, atMs) {
      const filesJson = JSON.stringify(files);
      await db
        .insertInto('saved_files')
        .values({ learner_id: learnerId, exercise_id: exerciseId, files_json: filesJson, saved_at: atMs })
        .onConflict((oc) =>
          oc.columns(['learner_id', 'exercise_id']).doUpdateSet({ files_json: filesJson, saved_at: atMs }),
        )
        .execute();
    },

    async deleteSavedFiles(learnerId, exerciseId) {
      await db
        .deleteFrom('saved_files')
        .where('learner_id', '=', learnerId)
        .where('exercise_id', '=', exerciseId)
        .execute();
    },

    async insertJob(job) {
      await db
        .insertInto('jobs')
        .values({
          id: job.id,
          learner_id: job.learnerId,
          kind: job.kind,
          target: job.target,
          state: job.state,
          created_at: job.createdAt,
          started_at: job.startedAt,
          finished_at: job.finishedAt,
          message: job.message,
          passed: job.passed === null ? null : toIntBool(job.passed),
          request_json: toJson(job.request),
          output_json: toJson(job.output),
          output_truncated: toIntBool(job.outputTruncated),
          progress_json: toJson(job.progress),
          result_json: job.result === null ? null : toJson(job.result),
        })
        .execute();
    },

    async updateJob(id, patch) {
      const set = patchToColumns(patch);
      if (Object.keys(set).length === 0) return;
      const result = await db.updateTable('jobs').set(set).where('id', '=', id).executeTakeFirst();
      // A lost update would silently lose a job's result; say so instead.
      if (result.numUpdatedRows === 0n) throw new Error(`updateJob: no job with id ${JSON.stringify(id)}`);
    },

    async getJob(id) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : rowToJob(row);
    },

    async listJobs({ learnerId, target, limit }) {
      checkLimit('listJobs', limit);
      if (limit === 0) return [];
      let query = db.selectFrom('jobs').selectAll().where('learner_id', '=', learnerId);
      if (target !== undefined) query = query.where('target', '=', target);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(rowToJob);
    },

    async markUnfinishedInterrupted(atMs) {
      const result = await db
        .updateTable('jobs')
        .set({ state: 'interrupted', finished_at: atMs, message: INTERRUPTED_MESSAGE })
        .where('state', 'in', ['queued', 'running'])
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    ...drillQueries(db),

    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
