/**
 * Quick-fire rounds and mock interviews through the API (/api/drills/quick-fire, /api/drills/mock,
 * /api/drill-sessions): a round to its summary, a mock interview to its report with answers
 * hidden until each timer ends on the server's clock, the history, another learner's session,
 * and bad input.
 */
import { describe, expect, it } from 'vitest';
import type { DrillList, SessionHistory, SessionItem, SessionView } from '../core/drill-api.js';
import { START_MS, call, clock, course, ok, useDrillApp } from './drills.test-support.js';

useDrillApp();

const SECOND_MS = 1000;
const drillById = new Map(course.drills.map((d) => [d.id, d]));
const hidden = { answer: null, full: null, keyPoints: null, grade: null };
const session = (learner: string, id: string, tail = '') =>
  ok<SessionView>(learner, 'POST', `/api/drill-sessions/${id}${tail}`);

describe('a quick-fire round', () => {
  it('runs 30 questions by default to a summary naming the weakest topic, and feeds the scheduler', async () => {
    const learner = 'quick';
    clock.nowMs = START_MS;
    const round = await ok<SessionView>(learner, 'POST', '/api/drills/quick-fire', {}, 201);
    expect(round).toMatchObject({
      kind: 'quick-fire',
      startedAtMs: START_MS,
      finishedAtMs: null,
      summary: null,
    });
    expect(round.items).toHaveLength(30);
    expect(new Set(round.items.map((i) => i.refId)).size).toBe(30);
    for (const item of round.items) {
      expect(item).toMatchObject({ kind: 'quick-fire', timeLimitSec: 60, startedAtMs: null, ...hidden });
      expect(item.question).toBe(drillById.get(item.refId)?.question);
    }

    // Every question of the first item's first topic is graded Again, the rest Easy.
    const weakTopic = drillById.get(round.items[0]!.refId)!.topics[0]!;
    const gradeOf = (item: SessionItem) => (drillById.get(item.refId)!.topics.includes(weakTopic) ? 1 : 4);
    for (const item of round.items) {
      await session(learner, round.id, `/items/${item.index}/start`);
      clock.nowMs += 5 * SECOND_MS;
      const view = await ok<SessionView>(
        learner,
        'POST',
        `/api/drill-sessions/${round.id}/items/${item.index}/answer`,
        {
          grade: gradeOf(item),
        },
      );
      // Answered: its answer shows at once; the next question's stays hidden.
      expect(view.items[item.index]).toMatchObject({ grade: gradeOf(item), answeredAtMs: clock.nowMs });
      expect(view.items[item.index]!.answer).toBe(drillById.get(item.refId)!.answer);
      expect(view.items[item.index + 1] ?? { ...hidden }).toMatchObject(hidden);
    }

    const done = await session(learner, round.id, '/finish');
    expect(done.finishedAtMs).toBe(clock.nowMs);
    expect(done.summary).toMatchObject({ answered: 30, timedOut: 0 });
    expect(done.summary!.totalSecondsTaken).toBeCloseTo(30 * 5, 0);
    const weakest = done.summary!.weakestTopics;
    expect(weakest[0]!.score).toBe(0);
    expect(weakest.find((t) => t.topic === weakTopic)).toMatchObject({ score: 0 });
    expect(weakest.find((t) => t.topic === weakTopic)!.lessons.length).toBeGreaterThan(0);
    expect(await ok(learner, 'GET', `/api/drill-sessions/${round.id}`)).toEqual(done);

    // The grades went to the scheduler: none of the 30 is new any more.
    const list = await ok<DrillList>(learner, 'GET', '/api/drills');
    expect(list.counts.new).toBe(course.drills.length - 30);
    const graded = new Set(round.items.map((i) => i.refId));
    expect(list.drills.filter((d) => graded.has(d.id)).every((d) => d.status !== 'new')).toBe(true);
  });

  it('draws only from the topics asked for, as many as asked', async () => {
    clock.nowMs = START_MS;
    const topic = course.drills.find((d) => d.kind === 'quick-fire')!.topics[0]!;
    const round = await ok<SessionView>(
      'picky',
      'POST',
      '/api/drills/quick-fire',
      { topics: [topic], count: 2 },
      201,
    );
    expect(round.items).toHaveLength(2);
    for (const item of round.items) expect(drillById.get(item.refId)!.topics).toContain(topic);
  });
});

describe('a mock interview', () => {
  it('hides each answer until its timer ends or it is answered, then reports', async () => {
    const learner = 'candidate';
    clock.nowMs = START_MS;
    const mock = await ok<SessionView>(learner, 'POST', '/api/drills/mock', {}, 201);
    expect(mock.kind).toBe('mock');
    const kinds = mock.items.map((i) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['quick-fire', 'scenario', 'code-reading']));
    for (const item of mock.items) expect(item).toMatchObject({ startedAtMs: null, ...hidden });

    // Part 0: opened, still hidden a second before its time is up, shown a second after.
    const first = mock.items[0]!;
    await session(learner, mock.id, '/items/0/start');
    clock.nowMs = START_MS + (first.timeLimitSec - 1) * SECOND_MS;
    const running = await ok<SessionView>(learner, 'GET', `/api/drill-sessions/${mock.id}`);
    expect(running.items[0]).toMatchObject({ startedAtMs: START_MS, ...hidden });
    clock.nowMs = START_MS + (first.timeLimitSec + 1) * SECOND_MS;
    const timedOut = await ok<SessionView>(learner, 'GET', `/api/drill-sessions/${mock.id}`);
    const drill = drillById.get(first.refId)!;
    expect(timedOut.items[0]).toMatchObject({ answer: drill.answer, keyPoints: drill.key_points });
    expect(timedOut.items[1]).toMatchObject(hidden);

    // Scored against the rubric: every point named, clearly told.
    const full = { points: drill.key_points!.map(() => 2), communication: 2 };
    const scored = await ok<SessionView>(learner, 'POST', `/api/drill-sessions/${mock.id}/items/0/answer`, {
      rubric: full,
      typedAnswer: 'my answer',
    });
    expect(scored.items[0]).toMatchObject({ rubric: full, grade: 4 });
    const twice = await call<{ error: string }>(
      learner,
      'POST',
      `/api/drill-sessions/${mock.id}/items/0/answer`,
      {
        rubric: full,
      },
    );
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe('conflict');

    // Part 1 answered before its time is up: its answer shows at once.
    await session(learner, mock.id, '/items/1/start');
    clock.nowMs += 30 * SECOND_MS;
    const second = mock.items[1]!;
    const zero = { points: drillById.get(second.refId)!.key_points!.map(() => 0), communication: 0 };
    const answered = await ok<SessionView>(learner, 'POST', `/api/drill-sessions/${mock.id}/items/1/answer`, {
      rubric: zero,
    });
    expect(answered.items[1]).toMatchObject({ rubric: zero, grade: 1, secondsTaken: 30 });
    expect(answered.items[1]!.answer).toBe(drillById.get(second.refId)!.answer);
    expect(answered.items.slice(2).every((i) => i.answer === null)).toBe(true);

    // The report: part 0 (scored after its time was up) and the unopened rest count as timed
    // out, part 1 as answered; every answer is shown; the history has it with its score.
    const report = await session(learner, mock.id, '/finish');
    expect(report.summary).toMatchObject({ answered: 1, timedOut: mock.items.length - 1 });
    expect(report.items.every((i) => i.answer !== null)).toBe(true);
    const late = await call(learner, 'POST', `/api/drill-sessions/${mock.id}/items/2/answer`, {
      rubric: zero,
    });
    expect(late.status).toBe(409);
    const history = await ok<SessionHistory>(learner, 'GET', '/api/drill-sessions?kind=mock');
    expect(history.sessions).toEqual([
      expect.objectContaining({
        id: mock.id,
        kind: 'mock',
        score: report.summary!.score,
        items: mock.items.length,
      }),
    ]);
    expect(await ok(learner, 'GET', '/api/drill-sessions?kind=quick-fire')).toEqual({ sessions: [] });
  });

  it('another learner cannot see or change the session: 404 as for an unknown id', async () => {
    clock.nowMs = START_MS;
    const mock = await ok<SessionView>('owner', 'POST', '/api/drills/mock', {}, 201);
    for (const [method, tail, payload] of [
      ['GET', '', undefined],
      ['POST', '/items/0/start', undefined],
      ['POST', '/items/0/answer', { grade: 4 }],
      ['POST', '/finish', undefined],
    ] as const) {
      for (const id of [mock.id, '00000000-0000-4000-8000-000000000000']) {
        const reply = await call<{ error: string }>(
          'mallory',
          method,
          `/api/drill-sessions/${id}${tail}`,
          payload,
        );
        expect(reply.status, `${method} ${tail}`).toBe(404);
        expect(reply.body.error).toBe('not-found');
      }
    }
    expect(await ok('mallory', 'GET', '/api/drill-sessions')).toEqual({ sessions: [] });
    // The owner's session is untouched.
    const own = await ok<SessionView>('owner', 'GET', `/api/drill-sessions/${mock.id}`);
    expect(own).toEqual(mock);
  });
});

describe('what the service refuses keeps its status', () => {
  it('no such part 404, an answer without grade or with a wrong-sized rubric 400, a finished session 409', async () => {
    const learner = 'refused';
    clock.nowMs = START_MS;
    const round = await ok<SessionView>(learner, 'POST', '/api/drills/quick-fire', { count: 2 }, 201);
    const part = (tail: string) => `/api/drill-sessions/${round.id}/items/${tail}`;
    const keyPoints = drillById.get(round.items[0]!.refId)!.key_points!;
    for (const [url, payload, status, message] of [
      [part('99/start'), undefined, 404, /no part 99/],
      [part('99/answer'), { grade: 3 }, 404, /no part 99/],
      [part('0/answer'), {}, 400, /grade/],
      [
        part('0/answer'),
        { rubric: { points: [...keyPoints, 1].map(() => 1), communication: 1 } },
        400,
        /rubric/,
      ],
      ['/api/drills/quick-fire', { module: 'no-such-module' }, 400, /no quick-fire questions/],
    ] as const) {
      const reply = await call<{ message: string }>(learner, 'POST', url, payload);
      expect(reply.status, `${url} ${JSON.stringify(reply.body)}`).toBe(status);
      expect(reply.body.message).toMatch(message);
    }
    await session(learner, round.id, '/finish');
    const late = await call<{ error: string }>(learner, 'POST', part('1/start'));
    expect(late).toMatchObject({ status: 409, body: { error: 'conflict' } });
  });
});

describe('bad session input gets 400', () => {
  it.each([
    ['POST', '/api/drills/quick-fire', { count: 0 }, /count/],
    ['POST', '/api/drills/quick-fire', { count: 101 }, /count/],
    ['POST', '/api/drills/quick-fire', { secondsPerQuestion: 5 }, /secondsPerQuestion/],
    ['POST', '/api/drills/quick-fire', { topics: ['Not An Id'] }, /topics/],
    ['POST', '/api/drills/mock', { includeExercise: 'yes' }, /includeExercise/],
    ['GET', '/api/drill-sessions?limit=0', undefined, /limit/],
    ['GET', '/api/drill-sessions?kind=exam', undefined, /kind/],
    ['GET', '/api/drill-sessions/not%20an%20id', undefined, /id/],
    ['POST', '/api/drill-sessions/00000000-0000-4000-8000-000000000000/items/x/start', undefined, /index/],
    [
      'POST',
      '/api/drill-sessions/00000000-0000-4000-8000-000000000000/items/0/answer',
      { rubric: { points: [3], communication: 0 } },
      /rubric/,
    ],
    [
      'POST',
      '/api/drill-sessions/00000000-0000-4000-8000-000000000000/items/0/answer',
      { grade: 0 },
      /grade/,
    ],
  ] as const)('%s %s %j', async (method, url, payload, message) => {
    const reply = await call<{ error: string; message: string }>('bad-session', method, url, payload);
    expect(reply.status, JSON.stringify(reply.body)).toBe(400);
    expect(reply.body).toMatchObject({ error: 'bad-request', message: expect.stringMatching(message) });
  });
});
