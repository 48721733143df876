/** The Store contract for interview drills: cards, the review log and undo, settings, sessions. */
import { expect, it } from 'vitest';
import { gradeDrillCard, type DrillGrade } from '../core/drills/scheduler.js';
import { UNICODE, type FreshStore } from './contract-fixtures.test-support.js';
import type { DrillReviewRecord, DrillSessionRecord, Store } from './types.js';

const T0 = 1_800_000_000_000;
const OPTIONS = { targetRetention: 0.9 };

/** Grades `drillId` for `learnerId` as the service would: the card after comes from the scheduler. */
async function grade(
  store: Store,
  learnerId: string,
  drillId: string,
  grade: DrillGrade,
  atMs: number,
  id = `${learnerId}-${drillId}-${atMs}`,
): Promise<Omit<DrillReviewRecord, 'undoneAt'>> {
  const before = (await store.getDrillCard(learnerId, drillId))?.card ?? null;
  const { card, log } = gradeDrillCard(before ?? undefined, grade, atMs, OPTIONS);
  const review = {
    id,
    learnerId,
    drillId,
    source: 'review' as const,
    sessionId: null,
    log,
    cardBefore: before,
    cardAfter: card,
    typedAnswer: null,
    durationMs: 1200,
    reviewedAt: atMs,
  };
  await store.recordDrillReview(review);
  return review;
}

function session(
  overrides: Partial<DrillSessionRecord> & Pick<DrillSessionRecord, 'id'>,
): DrillSessionRecord {
  return {
    learnerId: 'local',
    kind: 'quick-fire',
    startedAt: T0,
    finishedAt: null,
    plan: { version: 1, items: ['a', 'b'] },
    answers: [],
    score: null,
    ...overrides,
  };
}

export function drillsContract(fresh: FreshStore): void {
  it('keeps one card per learner and question, set by each review', async () => {
    const store = await fresh();
    expect(await store.getDrillCards('local')).toEqual([]);
    const first = await grade(store, 'local', 'q1', 3, T0);
    const second = await grade(store, 'local', 'q1', 3, first.cardAfter.dueAtMs);
    await grade(store, 'other', 'q1', 1, T0);
    const cards = await store.getDrillCards('local');
    expect(cards).toEqual([{ drillId: 'q1', card: second.cardAfter, updatedAt: first.cardAfter.dueAtMs }]);
    expect((await store.getDrillCard('other', 'q1'))?.card.phase).toBe('learning');
    expect(await store.getDrillCard('local', 'q2')).toBeNull();
  });

  it('logs every review, newest first, and rejects a reused review id', async () => {
    const store = await fresh();
    await grade(store, 'local', 'q1', 3, T0, 'r1');
    await grade(store, 'local', 'q2', 4, T0 + 10, 'r2');
    await grade(store, 'local', 'q1', 2, T0 + 20, 'r3');
    const log = await store.listDrillReviews('local', { limit: 10 });
    expect(log.map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect(log[0]).toMatchObject({ drillId: 'q1', source: 'review', durationMs: 1200, undoneAt: null });
    expect(log[0]!.cardBefore).toEqual(log[2]!.cardAfter);
    expect((await store.listDrillReviews('local', { drillId: 'q2', limit: 10 })).map((r) => r.id)).toEqual([
      'r2',
    ]);
    expect(await store.listDrillReviews('other', { limit: 10 })).toEqual([]);
    await expect(grade(store, 'local', 'q9', 3, T0 + 30, 'r1')).rejects.toThrow();
    // The failed review changed nothing: no card for q9.
    expect(await store.getDrillCard('local', 'q9')).toBeNull();
  });

  it('undo restores the card before the last review, one review at a time, per learner', async () => {
    const store = await fresh();
    const first = await grade(store, 'local', 'q1', 3, T0, 'r1');
    await grade(store, 'local', 'q1', 1, T0 + 1000, 'r2');
    await grade(store, 'other', 'q1', 4, T0 + 2000, 'o1');

    const undone = await store.undoLastDrillReview('local', T0 + 3000);
    expect(undone).toMatchObject({ id: 'r2', undoneAt: T0 + 3000 });
    expect((await store.getDrillCard('local', 'q1'))?.card).toEqual(first.cardAfter);
    // Undo again: back to a question never graded (no card).
    expect((await store.undoLastDrillReview('local', T0 + 4000))?.id).toBe('r1');
    expect(await store.getDrillCard('local', 'q1')).toBeNull();
    expect(await store.undoLastDrillReview('local', T0 + 5000)).toBeNull();
    // The log keeps undone reviews; the other learner's card is untouched.
    expect((await store.listDrillReviews('local', { limit: 5 })).map((r) => r.undoneAt)).toEqual([
      T0 + 3000,
      T0 + 4000,
    ]);
    expect((await store.getDrillCard('other', 'q1'))?.card.phase).toBe('review');
  });

  it('keeps settings per learner, with defaults', async () => {
    const store = await fresh();
    expect(await store.getDrillSettings('local')).toEqual({ targetRetention: 0.9 });
    await store.setDrillSettings('local', { targetRetention: 0.85 });
    await store.setDrillSettings('local', { targetRetention: 0.8 });
    expect(await store.getDrillSettings('local')).toEqual({ targetRetention: 0.8 });
    expect(await store.getDrillSettings('other')).toEqual({ targetRetention: 0.9 });
  });

  it('keeps sessions per learner: insert, update, get, list newest first', async () => {
    const store = await fresh();
    await store.insertDrillSession(session({ id: 's1', plan: { text: UNICODE } }));
    await store.insertDrillSession(session({ id: 's2', kind: 'mock', startedAt: T0 + 10 }));
    await store.insertDrillSession(session({ id: 's3', learnerId: 'other', startedAt: T0 + 20 }));
    await expect(store.insertDrillSession(session({ id: 's1' }))).rejects.toThrow();

    expect(
      await store.updateDrillSession('local', 's1', { finishedAt: T0 + 99, answers: [1], score: 0.75 }),
    ).toBe(true);
    expect(await store.getDrillSession('local', 's1')).toEqual(
      session({ id: 's1', plan: { text: UNICODE }, finishedAt: T0 + 99, answers: [1], score: 0.75 }),
    );
    // Another learner's session is neither changed nor seen.
    expect(await store.updateDrillSession('local', 's3', { score: 1 })).toBe(false);
    expect(await store.getDrillSession('local', 's3')).toBeNull();
    expect(await store.updateDrillSession('local', 'missing', {})).toBe(false);
    expect(await store.updateDrillSession('local', 's2', {})).toBe(true);

    expect((await store.listDrillSessions('local', { limit: 10 })).map((s) => s.id)).toEqual(['s2', 's1']);
    expect((await store.listDrillSessions('local', { kind: 'mock', limit: 10 })).map((s) => s.id)).toEqual([
      's2',
    ]);
    expect(await store.listDrillSessions('local', { limit: 0 })).toEqual([]);
    await expect(store.listDrillSessions('local', { limit: -1 })).rejects.toThrow(RangeError);
  });
}
