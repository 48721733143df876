/** The drill service's card side over a real SQLite store: scheduling, counts, undo, settings, lists. */
import { describe, expect, it } from 'vitest';
import type { ReviewQueueQuery } from './types.js';
import { DrillError } from './types.js';
import { DAY_MS, freshService, MINUTE_MS, T0_MS } from './fixture.test-support.js';

const QUEUE: ReviewQueueQuery = { newLimit: 10, limit: 50, utcOffsetMinutes: 0 };
const ALL = { utcOffsetMinutes: 0 };

describe('review: the scheduler through the service', () => {
  it('a question graded Good comes back on the FSRS interval, and not before', async () => {
    const { store, drills } = await freshService();
    const first = await drills.review('local', 'qf-pytest-1', { grade: 3 }, T0_MS);
    expect(first).toMatchObject({ status: 'learning', dueAtMs: T0_MS + 10 * MINUTE_MS });
    const stepMs = first.dueAtMs;
    // What the Good button promised is what grading Good does.
    const promised = (await drills.get('local', 'qf-pytest-1', stepMs))?.next[3];
    const second = await drills.review('local', 'qf-pytest-1', { grade: 3 }, stepMs);
    expect(second.dueAtMs).toBe(promised);
    const card = (await store.getDrillCard('local', 'qf-pytest-1'))?.card;
    // At the default 90 % retention FSRS's interval is the stability, in whole days.
    expect(card).toMatchObject({ phase: 'review', scheduledDays: Math.round(card?.stability ?? NaN) });
    expect(second.dueAtMs - stepMs).toBe((card?.scheduledDays ?? NaN) * DAY_MS);
    expect(second.status).toBe('known');

    const queued = async (atMs: number) =>
      (await drills.reviewQueue('local', { ...QUEUE, newLimit: 0 }, atMs)).drills.map((d) => d.id);
    expect(await queued(second.dueAtMs - 1)).toEqual([]);
    expect(await queued(second.dueAtMs)).toEqual(['qf-pytest-1']);
  });

  it('a question graded Again comes back in minutes', async () => {
    const { drills } = await freshService();
    const again = await drills.review('local', 'qf-gil-1', { grade: 1 }, T0_MS);
    expect(again.dueAtMs).toBe(T0_MS + 1 * MINUTE_MS);
    expect(again.counts).toMatchObject({ learning: 1, due: 0, dueToday: 1 });
    expect((await drills.get('local', 'qf-gil-1', T0_MS + MINUTE_MS))?.status).toBe('due');
  });

  it('logs every review with its source, session, typed answer and duration', async () => {
    const { store, drills } = await freshService();
    const result = await drills.review(
      'local',
      'qf-log-1',
      { grade: 2, typedAnswer: 'WARNING', durationMs: 4200 },
      T0_MS,
    );
    expect(result.reviewId).toMatch(/^[0-9a-f-]{36}$/);
    const [logged] = await store.listDrillReviews('local', { drillId: 'qf-log-1', limit: 5 });
    expect(logged).toMatchObject({
      id: result.reviewId,
      source: 'review',
      sessionId: null,
      typedAnswer: 'WARNING',
      durationMs: 4200,
      cardBefore: null,
    });
    expect(logged?.log.grade).toBe(2);
  });

  it('refuses an unknown question and a grade outside 1..4', async () => {
    const { drills } = await freshService();
    expect(await drills.get('local', 'no-such-drill', T0_MS)).toBeNull();
    await expect(drills.review('local', 'no-such-drill', { grade: 3 }, T0_MS)).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(drills.review('local', 'qf-gil-1', { grade: 5 as 3 }, T0_MS)).rejects.toThrow(DrillError);
  });
});

describe('due counts', () => {
  it('change as the clock passes dueAtMs, and end the day at the learner’s midnight', async () => {
    const { drills } = await freshService();
    await drills.review('local', 'qf-gil-1', { grade: 3 }, T0_MS); // back in 10 min
    const known = await drills.review('local', 'qf-gil-2', { grade: 4 }, T0_MS); // back in days
    const counts = async (atMs: number, utcOffsetMinutes = 0) =>
      (await drills.list('local', { utcOffsetMinutes }, atMs)).counts;
    expect(await counts(T0_MS)).toEqual({ total: 16, new: 14, learning: 1, due: 0, known: 1, dueToday: 1 });
    expect(await counts(T0_MS + 10 * MINUTE_MS)).toMatchObject({ learning: 0, due: 1, dueToday: 1 });
    expect(await counts(known.dueAtMs)).toMatchObject({ known: 0, due: 2, dueToday: 2 });
    // The learning step is due at 09:10 UTC. At UTC-9:30 it is 23:30 and the day ends at 09:30
    // UTC: the step counts today. At UTC-9:05 the day ends at 09:05 UTC: it is tomorrow's.
    expect((await counts(T0_MS, -570)).dueToday).toBe(1);
    expect((await counts(T0_MS, -545)).dueToday).toBe(0);
  });
});

describe('undo', () => {
  it('restores the previous card and the due counts, one grade at a time', async () => {
    const { store, drills } = await freshService();
    await drills.review('local', 'qf-mock-1', { grade: 3 }, T0_MS);
    const afterFirst = (await store.getDrillCard('local', 'qf-mock-1'))?.card;
    const countsAfterFirst = (await drills.list('local', ALL, T0_MS + 10 * MINUTE_MS)).counts;
    await drills.review('local', 'qf-mock-1', { grade: 1 }, T0_MS + 10 * MINUTE_MS);

    const undone = await drills.undo('local', T0_MS + 11 * MINUTE_MS);
    expect(undone.drill?.id).toBe('qf-mock-1');
    expect((await store.getDrillCard('local', 'qf-mock-1'))?.card).toEqual(afterFirst);
    expect((await drills.list('local', ALL, T0_MS + 10 * MINUTE_MS)).counts).toEqual(countsAfterFirst);

    const second = await drills.undo('local', T0_MS + 12 * MINUTE_MS);
    expect(second.drill).toMatchObject({ id: 'qf-mock-1', status: 'new', dueAtMs: null });
    expect(second.counts).toMatchObject({ new: 16, dueToday: 0 });
    expect(await drills.undo('local', T0_MS + 13 * MINUTE_MS)).toMatchObject({ drill: null });
  });
});

describe('settings', () => {
  it('target retention changes the intervals, and stays within 0.7..0.97', async () => {
    const { drills } = await freshService();
    expect(await drills.getSettings('local')).toEqual({ targetRetention: 0.9 });
    expect(await drills.setSettings('strict', { targetRetention: 0.97 })).toEqual({ targetRetention: 0.97 });
    await drills.setSettings('relaxed', { targetRetention: 0.7 });
    const intervalDays = async (learnerId: string) => {
      const step = await drills.review(learnerId, 'sc-gil', { grade: 3 }, T0_MS);
      const review = await drills.review(learnerId, 'sc-gil', { grade: 3 }, step.dueAtMs);
      const next = await drills.review(learnerId, 'sc-gil', { grade: 3 }, review.dueAtMs);
      return (next.dueAtMs - review.dueAtMs) / DAY_MS;
    };
    const [strict, usual, relaxed] = [
      await intervalDays('strict'),
      await intervalDays('local'),
      await intervalDays('relaxed'),
    ];
    expect(strict).toBeLessThan(usual);
    expect(usual).toBeLessThan(relaxed);
    await expect(drills.setSettings('local', { targetRetention: 0.99 })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(drills.setSettings('local', { targetRetention: 0.5 })).rejects.toMatchObject({
      code: 'invalid',
    });
    expect(await drills.getSettings('local')).toEqual({ targetRetention: 0.9 });
  });
});

describe('lists and the review queue', () => {
  it('lists questions by module, topic and kind with per-module counts and topics', async () => {
    const { drills } = await freshService();
    await drills.review('local', 'qf-log-2', { grade: 4 }, T0_MS);
    const list = await drills.list(
      'local',
      { module: '04-tests-and-logs', kind: 'quick-fire', utcOffsetMinutes: 0 },
      T0_MS,
    );
    expect(list.drills.map((d) => d.id)).toEqual([
      'qf-pytest-1',
      'qf-pytest-2',
      'qf-pytest-3',
      'qf-pytest-4',
      'qf-mock-1',
      'qf-mock-2',
      'qf-log-1',
      'qf-log-2',
      'qf-log-3',
    ]);
    expect(list.drills.find((d) => d.id === 'qf-log-2')).toMatchObject({
      status: 'known',
      lesson: 'log-levels',
    });
    expect(list.counts).toMatchObject({ total: 9, known: 1, new: 8 });
    expect(list.modules.map((m) => [m.id, m.counts.total, m.counts.known])).toEqual([
      ['01-measure', 2, 0],
      ['03-concurrency', 3, 0],
      ['04-tests-and-logs', 11, 1],
    ]);
    expect(list.topics.find((t) => t.id === 'mocking')).toEqual({
      id: 'mocking',
      title: 'Mocks and patching',
      module: '04-tests-and-logs',
      count: 2,
    });
    expect(list.settings).toEqual({ targetRetention: 0.9 });
    const byTopic = await drills.list('local', { topic: 'logging', utcOffsetMinutes: 0 }, T0_MS);
    expect(byTopic.drills.map((d) => d.id)).toEqual(['qf-log-1', 'qf-log-2', 'qf-log-3', 'sc-logging']);
  });

  it('shows the whole question with its rubric, lesson title and recorded output', async () => {
    const { drills } = await freshService();
    expect(await drills.get('local', 'cr-profile', T0_MS)).toMatchObject({
      answer: 'Short answer of cr-profile.',
      full: 'Full answer of cr-profile.',
      keyPoints: ['first point', 'second point', 'third point'],
      lessonTitle: 'Reading a profile',
      output: { tool: 'profile', command: 'perflab profile slow.py' },
      status: 'new',
      dueAtMs: null,
    });
  });

  it('queues due questions most overdue first, then new ones in course order', async () => {
    const { drills } = await freshService();
    const early = await drills.review('local', 'qf-log-3', { grade: 1 }, T0_MS); // due T0 + 1 min
    await drills.review('local', 'qf-gil-2', { grade: 1 }, T0_MS + 5 * MINUTE_MS); // due T0 + 6 min
    const atMs = T0_MS + 30 * MINUTE_MS;
    const queue = await drills.reviewQueue('local', { ...QUEUE, newLimit: 2 }, atMs);
    expect(queue.drills.map((d) => d.id)).toEqual(['qf-log-3', 'qf-gil-2', 'cr-profile', 'sc-profile']);
    expect(queue.drills[0]?.next[1]).toBeGreaterThan(atMs);
    expect(early.dueAtMs).toBeLessThan(atMs);
    const inModule = await drills.reviewQueue(
      'local',
      { ...QUEUE, module: '04-tests-and-logs', newLimit: 1 },
      atMs,
    );
    expect(inModule.drills.map((d) => d.id)).toEqual(['qf-log-3', 'qf-pytest-1']);
    expect(inModule.counts).toMatchObject({ total: 11, due: 1, new: 10 });
  });
});

describe('learner isolation', () => {
  it('one learner’s grades, undo and settings never touch another’s', async () => {
    const { drills } = await freshService();
    await drills.review('ana', 'qf-gil-1', { grade: 3 }, T0_MS);
    await drills.setSettings('ana', { targetRetention: 0.8 });
    expect((await drills.list('ben', ALL, T0_MS)).counts).toMatchObject({ new: 16, learning: 0 });
    expect(await drills.undo('ben', T0_MS)).toMatchObject({ drill: null });
    expect((await drills.get('ana', 'qf-gil-1', T0_MS))?.status).toBe('learning');
    expect(await drills.getSettings('ben')).toEqual({ targetRetention: 0.9 });
  });
});
