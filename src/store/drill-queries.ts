/**
 * The Store's interview-drill queries (cards, review log with undo, settings, sessions),
 * written once over Kysely like the rest of kysely-store.ts. A review and its card change, and
 * an undo and its card restore, each run in one transaction: the log and the card never
 * disagree, even with the terminal and the server writing the same database.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DrillCard, DrillReviewLog } from '../core/drills/scheduler.js';
import type { Database, DrillReviewsTable, DrillSessionsTable } from './schema.js';
import type { DrillReviewRecord, DrillSessionPatch, DrillSessionRecord, Store } from './types.js';

export const DEFAULT_DRILL_SETTINGS = { targetRetention: 0.9 } as const;

type DrillMethods = Pick<
  Store,
  | 'getDrillCards'
  | 'getDrillCard'
  | 'recordDrillReview'
  | 'undoLastDrillReview'
  | 'listDrillReviews'
  | 'getDrillSettings'
  | 'setDrillSettings'
  | 'insertDrillSession'
  | 'updateDrillSession'
  | 'getDrillSession'
  | 'listDrillSessions'
>;

const parseCard = (json: string) => JSON.parse(json) as DrillCard;

function rowToReview(row: Selectable<DrillReviewsTable>): DrillReviewRecord {
  return {
    id: row.id,
    learnerId: row.learner_id,
    drillId: row.drill_id,
    source: row.source,
    sessionId: row.session_id,
    log: JSON.parse(row.log_json) as DrillReviewLog,
    cardBefore: row.card_before_json === null ? null : parseCard(row.card_before_json),
    cardAfter: parseCard(row.card_after_json),
    typedAnswer: row.typed_answer,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    reviewedAt: Number(row.reviewed_at),
    undoneAt: row.undone_at === null ? null : Number(row.undone_at),
  };
}

function rowToSession(row: Selectable<DrillSessionsTable>): DrillSessionRecord {
  return {
    id: row.id,
    learnerId: row.learner_id,
    kind: row.kind,
    startedAt: Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    plan: JSON.parse(row.plan_json) as unknown,
    answers: JSON.parse(row.answers_json) as unknown,
    score: row.score === null ? null : Number(row.score),
  };
}

async function setCard(
  trx: Transaction<Database>,
  learnerId: string,
  drillId: string,
  card: DrillCard | null,
  atMs: number,
): Promise<void> {
  if (card === null) {
    await trx
      .deleteFrom('drill_cards')
      .where('learner_id', '=', learnerId)
      .where('drill_id', '=', drillId)
      .execute();
    return;
  }
  const row = { card_json: JSON.stringify(card), due_at: card.dueAtMs, updated_at: atMs };
  await trx
    .insertInto('drill_cards')
    .values({ learner_id: learnerId, drill_id: drillId, ...row })
    .onConflict((oc) => oc.columns(['learner_id', 'drill_id']).doUpdateSet(row))
    .execute();
}

/** Every list query's `limit`: a whole number ≥ 0 (0 lists nothing). */
export function checkLimit(what: string, limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`${what}: limit must be a whole number ≥ 0, got ${limit}`);
  }
}

export function drillQueries(db: Kysely<Database>): DrillMethods {
  return {
    async getDrillCards(learnerId) {
      const rows = await db
        .selectFrom('drill_cards')
        .select(['drill_id', 'card_json', 'updated_at'])
        .where('learner_id', '=', learnerId)
        .execute();
      return rows.map((row) => ({
        drillId: row.drill_id,
        card: parseCard(row.card_json),
        updatedAt: Number(row.updated_at),
      }));
    },

    async getDrillCard(learnerId, drillId) {
      const row = await db
        .selectFrom('drill_cards')
        .select(['drill_id', 'card_json', 'updated_at'])
        .where('learner_id', '=', learnerId)
        .where('drill_id', '=', drillId)
        .executeTakeFirst();
      return row === undefined
        ? null
        : { drillId: row.drill_id, card: parseCard(row.card_json), updatedAt: Number(row.updated_at) };
    },

    async recordDrillReview(review) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('drill_reviews')
          .values({
            id: review.id,
            learner_id: review.learnerId,
            drill_id: review.drillId,
            source: review.source,
            session_id: review.sessionId,
            grade: review.log.grade,
            log_json: JSON.stringify(review.log),
            card_before_json: review.cardBefore === null ? null : JSON.stringify(review.cardBefore),
            card_after_json: JSON.stringify(review.cardAfter),
            typed_answer: review.typedAnswer,
            duration_ms: review.durationMs,
            reviewed_at: review.reviewedAt,
            undone_at: null,
          })
          .execute();
        await setCard(trx, review.learnerId, review.drillId, review.cardAfter, review.reviewedAt);
      });
    },

    async undoLastDrillReview(learnerId, atMs) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('drill_reviews')
          .selectAll()
          .where('learner_id', '=', learnerId)
          .where('undone_at', 'is', null)
          .orderBy('reviewed_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (row === undefined) return null;
        await trx.updateTable('drill_reviews').set({ undone_at: atMs }).where('id', '=', row.id).execute();
        const review = rowToReview({ ...row, undone_at: atMs });
        await setCard(trx, learnerId, review.drillId, review.cardBefore, atMs);
        return review;
      });
    },

    async listDrillReviews(learnerId, { drillId, sessionId, limit }) {
      checkLimit('listDrillReviews', limit);
      if (limit === 0) return [];
      let query = db.selectFrom('drill_reviews').selectAll().where('learner_id', '=', learnerId);
      if (drillId !== undefined) query = query.where('drill_id', '=', drillId);
      if (sessionId !== undefined) query = query.where('session_id', '=', sessionId);
      const rows = await query.orderBy('reviewed_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(rowToReview);
    },

    async getDrillSettings(learnerId) {
      const row = await db
        .selectFrom('drill_settings')
        .select('settings_json')
        .where('learner_id', '=', learnerId)
        .executeTakeFirst();
      return row === undefined
        ? { ...DEFAULT_DRILL_SETTINGS }
        : { ...DEFAULT_DRILL_SETTINGS, ...(JSON.parse(row.settings_json) as object) };
    },

    async setDrillSettings(learnerId, settings) {
      const settingsJson = JSON.stringify(settings);
      await db
        .insertInto('drill_settings')
        .values({ learner_id: learnerId, settings_json: settingsJson })
        .onConflict((oc) => oc.column('learner_id').doUpdateSet({ settings_json: settingsJson }))
        .execute();
    },

    async insertDrillSession(session) {
      await db
        .insertInto('drill_sessions')
        .values({
          id: session.id,
          learner_id: session.learnerId,
          kind: session.kind,
          started_at: session.startedAt,
          finished_at: session.finishedAt,
          plan_json: JSON.stringify(session.plan ?? null),
          answers_json: JSON.stringify(session.answers ?? null),
          score: session.score,
        })
        .execute();
    },

    async updateDrillSession(learnerId, id, patch: DrillSessionPatch) {
      const set: Partial<Selectable<DrillSessionsTable>> = {};
      if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
      if (patch.plan !== undefined) set.plan_json = JSON.stringify(patch.plan ?? null);
      if (patch.answers !== undefined) set.answers_json = JSON.stringify(patch.answers ?? null);
      if (patch.score !== undefined) set.score = patch.score;
      let query = db.updateTable('drill_sessions').where('id', '=', id).where('learner_id', '=', learnerId);
      // An empty patch still answers "is it there?".
      query = Object.keys(set).length > 0 ? query.set(set) : query.set({ id });
      const result = await query.executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async getDrillSession(learnerId, id) {
      const row = await db
        .selectFrom('drill_sessions')
        .selectAll()
        .where('id', '=', id)
        .where('learner_id', '=', learnerId)
        .executeTakeFirst();
      return row === undefined ? null : rowToSession(row);
    },

    async listDrillSessions(learnerId, { kind, limit }) {
      checkLimit('listDrillSessions', limit);
      if (limit === 0) return [];
      let query = db.selectFrom('drill_sessions').selectAll().where('learner_id', '=', learnerId);
      if (kind !== undefined) query = query.where('kind', '=', kind);
      const rows = await query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(rowToSession);
    },
  };
}
