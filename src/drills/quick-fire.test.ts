/** Quick-fire rounds over a real SQLite store: the draw, timers, hidden answers, the summary. */
import { describe, expect, it } from 'vitest';
import { freshService, T0_MS } from './fixture.test-support.js';
import type { QuickFireBody } from './types.js';

const ROUND: QuickFireBody = { count: 6, topics: ['pytest', 'logging'], secondsPerQuestion: 60 };
const SECOND_MS = 1000;

describe('quick-fire round', () => {
  it('draws N distinct quick-fire questions of the topic set, the same for the same seed', async () => {
    const { drills } = await freshService(0.25);
    const round = await drills.startQuickFire('local', ROUND, T0_MS);
    const ids = round.items.map((i) => i.refId);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(ids.every((id) => /^qf-(pytest|log)-/.test(id))).toBe(true);
    expect(round.items.every((i) => i.kind === 'quick-fire' && i.timeLimitSec === 60)).toBe(true);
    expect(round.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const again = await (await freshService(0.25)).drills.startQuickFire('local', ROUND, T0_MS);
    expect(again.items.map((i) => i.refId)).toEqual(ids);
    expect(again.id).not.toBe(round.id);
    const otherSeed = await (await freshService(0.75)).drills.startQuickFire('local', ROUND, T0_MS);
    expect(otherSeed.items.map((i) => i.refId)).not.toEqual(ids);
  });

  it('prefers due and new questions over known ones', async () => {
    const { drills } = await freshService();
    // Know every pytest question but one, and let one logging question come due.
    for (const id of ['qf-pytest-1', 'qf-pytest-2', 'qf-pytest-3'])
      await drills.review('local', id, { grade: 4 }, T0_MS);
    const due = await drills.review('local', 'qf-log-1', { grade: 1 }, T0_MS);
    const round = await drills.startQuickFire('local', { ...ROUND, count: 4 }, due.dueAtMs);
    expect(round.items.map((i) => i.refId).sort()).toEqual([
      'qf-log-1',
      'qf-log-2',
      'qf-log-3',
      'qf-pytest-4',
    ]);
  });

  it('asks every question when fewer than N match', async () => {
    const { drills } = await freshService();
    const round = await drills.startQuickFire(
      'local',
      { count: 30, topics: ['mocking'], secondsPerQuestion: 60 },
      T0_MS,
    );
    expect(round.items.map((i) => i.refId).sort()).toEqual(['qf-mock-1', 'qf-mock-2']);
    await expect(
      drills.startQuickFire('local', { count: 30, topics: ['profiling'], secondsPerQuestion: 60 }, T0_MS),
    ).rejects.toMatchObject({ code: 'invalid' });
  });

  it('keeps each answer hidden until the part is answered or its time is up', async () => {
    const { drills } = await freshService();
    const round = await drills.startQuickFire('local', ROUND, T0_MS);
    const hidden = { answer: null, full: null, keyPoints: null };
    expect(round.items.every((i) => i.answer === null && i.full === null && i.keyPoints === null)).toBe(true);

    const started = await drills.startItem('local', round.id, 0, T0_MS + 5 * SECOND_MS);
    expect(started.items[0]).toMatchObject({ startedAtMs: T0_MS + 5 * SECOND_MS, ...hidden });
    // Starting again keeps the first start (the timer cannot be reset to peek longer).
    await drills.startItem('local', round.id, 0, T0_MS + 30 * SECOND_MS);
    const view = (atMs: number) => drills.getSession('local', round.id, atMs);
    expect((await view(T0_MS + 64 * SECOND_MS))?.items[0]).toMatchObject({
      startedAtMs: T0_MS + 5 * SECOND_MS,
      ...hidden,
    });
    const timeUp = (await view(T0_MS + 65 * SECOND_MS))?.items[0];
    expect(timeUp?.answer).toMatch(/^Short answer of qf-/);
    expect(timeUp?.keyPoints).toHaveLength(3);
    // Another part, answered before its time is up, is revealed at once.
    await drills.startItem('local', round.id, 1, T0_MS);
    const answered = await drills.answerItem('local', round.id, 1, { grade: 3 }, T0_MS + 20 * SECOND_MS);
    expect(answered.items[1]).toMatchObject({
      grade: 3,
      secondsTaken: 20,
      full: expect.stringMatching(/^Full answer/),
    });
    expect(answered.items[2]).toMatchObject(hidden);
  });

  it('runs to a summary: answers feed the scheduler, a late answer is timed out, the weakest topics come first', async () => {
    const { store, drills } = await freshService();
    const round = await drills.startQuickFire(
      'local',
      { ...ROUND, count: 4, topics: ['pytest', 'mocking'] },
      T0_MS,
    );
    const topicOf = (i: number) => round.items[i]?.refId.split('-')[1];
    let clockMs = T0_MS;
    const grades: (1 | 2 | 3 | 4)[] = [];
    for (const [i, item] of round.items.entries()) {
      await drills.startItem('local', round.id, i, clockMs);
      // Mocking questions graded Again, pytest ones Easy; the last one answered after 90 s of 60.
      const grade = topicOf(i) === 'mock' ? 1 : 4;
      const tookMs = i === 3 ? 90 * SECOND_MS : 10 * SECOND_MS;
      clockMs += tookMs;
      grades.push(grade);
      const view = await drills.answerItem(
        'local',
        round.id,
        i,
        { grade, typedAnswer: `answer ${i}` },
        clockMs,
      );
      expect(view.items[i]).toMatchObject({ refId: item.refId, grade, secondsTaken: tookMs / 1000 });
    }
    const reviews = await store.listDrillReviews('local', { sessionId: round.id, limit: 10 });
    expect(reviews).toHaveLength(4);
    expect(reviews.every((r) => r.source === 'quick-fire')).toBe(true);
    expect(reviews.map((r) => r.drillId).sort()).toEqual(round.items.map((i) => i.refId).sort());
    expect((await drills.get('local', round.items[0]?.refId as string, clockMs))?.status).not.toBe('new');

    const finished = await drills.finishSession('local', round.id, clockMs + SECOND_MS);
    const summary = finished.summary;
    expect(summary).toMatchObject({ answered: 3, timedOut: 1, totalSecondsTaken: 120 });
    expect(summary?.score).toBeCloseTo(grades.reduce((t, g) => t + (g - 1) / 3, 0) / 4);
    expect(summary?.weakestTopics.map((t) => [t.topic, t.score])).toEqual([
      ['mocking', 0],
      ['pytest', 1],
    ]);
    expect(summary?.weakestTopics[0]?.lessons).toEqual([
      { id: 'fixtures', title: 'Fixtures and scopes' },
      { id: 'patching', title: 'Patch where it is looked up' },
    ]);
    expect((await drills.history('local', 'quick-fire', 10)).sessions).toEqual([
      {
        id: round.id,
        kind: 'quick-fire',
        startedAtMs: T0_MS,
        finishedAtMs: clockMs + SECOND_MS,
        score: summary?.score,
        items: 4,
      },
    ]);
  });

  it('refuses a second answer, a part that does not exist, and answers after the end', async () => {
    const { drills } = await freshService();
    const round = await drills.startQuickFire('local', { ...ROUND, count: 3 }, T0_MS);
    await drills.answerItem('local', round.id, 0, { grade: 3 }, T0_MS);
    await expect(drills.answerItem('local', round.id, 0, { grade: 1 }, T0_MS)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(drills.answerItem('local', round.id, 1, {}, T0_MS)).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(drills.startItem('local', round.id, 3, T0_MS)).rejects.toMatchObject({ code: 'not-found' });
    const finished = await drills.finishSession('local', round.id, T0_MS + 1000);
    // Unanswered parts count as timed out, and their answers show in the report.
    expect(finished.summary).toMatchObject({ answered: 1, timedOut: 2 });
    expect(finished.items.every((i) => i.answer !== null)).toBe(true);
    expect(await drills.finishSession('local', round.id, T0_MS + 5000)).toEqual(finished);
    await expect(drills.answerItem('local', round.id, 1, { grade: 3 }, T0_MS)).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('grades a part once when two answers to it arrive at the same time', async () => {
    const { store, drills } = await freshService();
    const round = await drills.startQuickFire('local', ROUND, T0_MS);
    const results = await Promise.allSettled([
      drills.answerItem('local', round.id, 0, { grade: 3 }, T0_MS + 1000),
      drills.answerItem('local', round.id, 0, { grade: 1 }, T0_MS + 1000),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(results[1]).toMatchObject({ reason: { code: 'conflict' } });
    expect(await store.listDrillReviews('local', { sessionId: round.id, limit: 10 })).toHaveLength(1);
  });

  it('is not found for another learner, and reads back only valid session documents', async () => {
    const { store, drills } = await freshService();
    const round = await drills.startQuickFire('ana', ROUND, T0_MS);
    expect(await drills.getSession('ben', round.id, T0_MS)).toBeNull();
    await expect(drills.startItem('ben', round.id, 0, T0_MS)).rejects.toMatchObject({ code: 'not-found' });
    await expect(drills.answerItem('ben', round.id, 0, { grade: 3 }, T0_MS)).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(drills.finishSession('ben', round.id, T0_MS)).rejects.toMatchObject({ code: 'not-found' });
    expect((await drills.history('ben', undefined, 10)).sessions).toEqual([]);
    expect(await drills.getSession('ana', 'no-such-session', T0_MS)).toBeNull();

    await store.updateDrillSession('ana', round.id, { plan: { version: 2, items: [] } });
    await expect(drills.getSession('ana', round.id, T0_MS)).rejects.toThrow(
      /its plan is not a perflab session document/,
    );
  });
});
