/** Mock interviews over a real SQLite store: the plan, rubric grading, the exercise time box, the report. */
import { describe, expect, it } from 'vitest';
import { rubricGrade } from '../core/drills/rubric.js';
import { MOCK_GUARD_MS } from './mock-guard.js';
import { freshService, MINUTE_MS, PROFILE_OUTPUT, T0_MS, verifyJob } from './fixture.test-support.js';

const SECOND_MS = 1000;

describe('mock interview', () => {
  it('plans three quick-fire parts, a scenario and a code-reading one across topics, and the debugging exercise', async () => {
    const { drills } = await freshService();
    const mock = await drills.startMock('local', { includeExercise: true }, T0_MS);
    expect(mock.items.map((i) => [i.kind, i.timeLimitSec])).toEqual([
      ['quick-fire', 60],
      ['quick-fire', 60],
      ['quick-fire', 60],
      ['scenario', 480],
      ['code-reading', 360],
      ['exercise', 1200],
    ]);
    const exercise = mock.items[5];
    expect(['hidden-hot-function', 'racy-counter', 'flaky-clock-test']).toContain(exercise?.refId);
    expect(exercise).toMatchObject({
      title: `Debugging · Exercise ${exercise?.refId}`,
      question: `# Fix ${exercise?.refId}\n`,
    });
    // Three quick-fire topics exist (gil, pytest/mocking/logging): the warm-up spreads over them.
    const listed = (await drills.list('local', { utcOffsetMinutes: 0 }, T0_MS)).drills;
    const quickTopics = mock.items.slice(0, 3).map((i) => listed.find((d) => d.id === i.refId)?.topics[0]);
    expect(new Set(quickTopics).size).toBe(3);
    const inModule = await drills.startMock(
      'local',
      { module: '03-concurrency', includeExercise: true },
      T0_MS,
    );
    expect(inModule.items.map((i) => i.refId)).toEqual(
      expect.arrayContaining(['qf-gil-1', 'qf-gil-2', 'sc-gil', 'racy-counter']),
    );
    expect(inModule.items).toHaveLength(4);
  });

  it('hides a scenario’s answer until its 8 minutes are up, but shows a code-reading part’s output from the start', async () => {
    const { drills } = await freshService();
    const mock = await drills.startMock('local', { includeExercise: false }, T0_MS);
    const scenario = mock.items.findIndex((i) => i.kind === 'scenario');
    const reading = mock.items.findIndex((i) => i.kind === 'code-reading');
    expect(mock.items[reading]).toMatchObject({ output: PROFILE_OUTPUT, answer: null, keyPoints: null });
    await drills.startItem('local', mock.id, scenario, T0_MS);
    const at = async (atMs: number) => (await drills.getSession('local', mock.id, atMs))?.items[scenario];
    expect(await at(T0_MS + 8 * MINUTE_MS - 1)).toMatchObject({ answer: null, full: null, keyPoints: null });
    expect(await at(T0_MS + 8 * MINUTE_MS)).toMatchObject({
      answer: expect.stringMatching(/^Short answer of sc-/),
      keyPoints: ['first point', 'second point', 'third point'],
    });
  });

  it('hides a running part’s answer everywhere: one question, the review queue; until the part is answered or its time is up', async () => {
    const { drills } = await freshService();
    const mock = await drills.startMock('local', { includeExercise: false }, T0_MS);
    const scenario = mock.items.findIndex((i) => i.kind === 'scenario');
    const scenarioId = mock.items[scenario]!.refId;
    const queued = async (atMs: number) =>
      (
        await drills.reviewQueue('local', { newLimit: 200, limit: 200, utcOffsetMinutes: 0 }, atMs)
      ).drills.map((d) => d.id);
    // Not started yet: its plan is known, so its answer is hidden too.
    await expect(drills.get('local', scenarioId, T0_MS)).rejects.toMatchObject({ code: 'conflict' });
    await drills.startItem('local', mock.id, scenario, T0_MS);
    await expect(drills.get('local', scenarioId, T0_MS + 8 * MINUTE_MS - 1)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await queued(T0_MS + 8 * MINUTE_MS - 1)).not.toContain(scenarioId);
    // Its time is up: the answer shows, in the session and everywhere else.
    expect((await drills.get('local', scenarioId, T0_MS + 8 * MINUTE_MS))?.answer).toMatch(
      /^Short answer of sc-/,
    );
    expect(await queued(T0_MS + 8 * MINUTE_MS)).toContain(scenarioId);
    // Another learner is not affected, and a finished mock hides nothing.
    expect((await drills.get('other', mock.items[0]!.refId, T0_MS))?.id).toBe(mock.items[0]!.refId);
    await drills.finishSession('local', mock.id, T0_MS + 9 * MINUTE_MS);
    expect((await drills.get('local', mock.items[0]!.refId, T0_MS + 9 * MINUTE_MS))?.id).toBe(
      mock.items[0]!.refId,
    );
  });

  it('stops hiding the questions of a mock left unfinished once MOCK_GUARD_MS has passed', async () => {
    const { drills } = await freshService();
    const mock = await drills.startMock('local', { includeExercise: false }, T0_MS);
    const id = mock.items[0]!.refId;
    await expect(drills.get('local', id, T0_MS + MOCK_GUARD_MS - 1)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await drills.get('local', id, T0_MS + MOCK_GUARD_MS))?.id).toBe(id);
  });

  it('scores answers against the rubric, feeds the scheduler as mock reviews, and reports weakest topics first', async () => {
    const { store, drills } = await freshService();
    const mock = await drills.startMock('local', { includeExercise: false }, T0_MS);
    const rubrics = [
      { points: [2, 2, 2], communication: 2 },
      { points: [2, 1, 1], communication: 1 },
      { points: [0, 1, 0], communication: 1 },
      { points: [2, 2, 1], communication: 0 },
      { points: [1, 1, 0], communication: 2 },
    ];
    let clockMs = T0_MS;
    for (const [i, rubric] of rubrics.entries()) {
      await drills.startItem('local', mock.id, i, clockMs);
      await expect(
        drills.answerItem('local', mock.id, i, { rubric: { points: [2, 2], communication: 2 } }, clockMs),
      ).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/3 expected, got 2/) });
      clockMs += 50 * SECOND_MS;
      const view = await drills.answerItem('local', mock.id, i, { rubric }, clockMs);
      expect(view.items[i]).toMatchObject({ rubric, grade: rubricGrade(rubric) });
    }
    const reviews = await store.listDrillReviews('local', { sessionId: mock.id, limit: 10 });
    expect(reviews.map((r) => [r.source, r.log.grade]).reverse()).toEqual(
      rubrics.map((r) => ['mock', rubricGrade(r)]),
    );

    const report = await drills.finishSession('local', mock.id, clockMs);
    const scores = rubrics.map((r) => (r.points.reduce((a, b) => a + b, 0) + r.communication) / 8);
    expect(report.summary?.score).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / 5);
    // 50 s for each part: the three 60-s ones too, so nothing timed out.
    expect(report.summary).toMatchObject({ answered: 5, timedOut: 0, totalSecondsTaken: 250 });
    const weakest = report.summary?.weakestTopics ?? [];
    expect(weakest.map((t) => t.score)).toEqual([...weakest.map((t) => t.score)].sort((a, b) => a - b));
    const worst = mock.items[2]?.refId as string;
    const worstTopic = (await drills.get('local', worst, clockMs))?.topics[0];
    expect(weakest[0]?.topic).toBe(worstTopic);
  });

  it('accepts an answer after the time limit, marked timed out', async () => {
    const { drills } = await freshService();
    const mock = await drills.startMock('local', { includeExercise: false }, T0_MS);
    await drills.startItem('local', mock.id, 0, T0_MS);
    const late = await drills.answerItem('local', mock.id, 0, { grade: 3 }, T0_MS + 75 * SECOND_MS);
    expect(late.items[0]).toMatchObject({ grade: 3, secondsTaken: 75, answer: expect.any(String) });
    const report = await drills.finishSession('local', mock.id, T0_MS + 80 * SECOND_MS);
    expect(report.summary).toMatchObject({ answered: 0, timedOut: 5 });
  });

  it('decides the exercise was solved in time only from a passing verification inside the time box', async () => {
    const { store, drills } = await freshService();
    const mock = await drills.startMock('local', { includeExercise: true }, T0_MS);
    const part = mock.items.length - 1;
    const exerciseId = mock.items[part]?.refId as string;
    const startMs = T0_MS + MINUTE_MS;
    await drills.startItem('local', mock.id, part, startMs);
    const boxEndMs = startMs + 20 * MINUTE_MS;
    // None of these counts: before the start, failed, not finished, not a verification,
    // another learner's, another exercise's, after the time box.
    await store.insertJob(verifyJob('local', exerciseId, startMs - 1));
    await store.insertJob(verifyJob('local', exerciseId, startMs + MINUTE_MS, { passed: false }));
    await store.insertJob(verifyJob('local', exerciseId, startMs + MINUTE_MS, { state: 'cancelled' }));
    await store.insertJob(verifyJob('local', exerciseId, startMs + MINUTE_MS, { kind: 'run' }));
    await store.insertJob(verifyJob('other', exerciseId, startMs + MINUTE_MS));
    await store.insertJob(verifyJob('local', 'word-frequency', startMs + MINUTE_MS));
    await store.insertJob(verifyJob('local', exerciseId, boxEndMs + 1));
    // The request cannot claim it: the body has no such field, and extra fields are ignored.
    const claimed = { grade: 4, solvedInTime: true } as unknown as { grade: 4 };
    const unsolved = await drills.answerItem('local', mock.id, part, claimed, boxEndMs + 2);
    expect(unsolved.items[part]).toMatchObject({ solvedInTime: false, grade: null });

    const second = await drills.startMock('local', { includeExercise: true }, T0_MS);
    const secondId = second.items.at(-1)?.refId as string;
    await drills.startItem('local', second.id, part, startMs);
    await store.insertJob(verifyJob('local', secondId, boxEndMs));
    const report = await drills.finishSession('local', second.id, boxEndMs + MINUTE_MS);
    // Solved in the workspace without pressing "done": it still counts, as answered in time.
    expect(report.items[part]).toMatchObject({ solvedInTime: true, answeredAtMs: null });
    expect(report.summary).toMatchObject({ answered: 1, timedOut: 5 });
    expect(report.summary?.score).toBeCloseTo(1 / 6);
  });

  it('keeps a history of mock interviews, newest first, each with its score', async () => {
    const { drills } = await freshService();
    const first = await drills.startMock('local', { includeExercise: false }, T0_MS);
    await drills.answerItem('local', first.id, 0, { grade: 4 }, T0_MS);
    await drills.finishSession('local', first.id, T0_MS + MINUTE_MS);
    const second = await drills.startMock('local', { includeExercise: false }, T0_MS + 60 * MINUTE_MS);
    await drills.startQuickFire('local', { count: 3, secondsPerQuestion: 60 }, T0_MS + 61 * MINUTE_MS);
    const history = await drills.history('local', 'mock', 10);
    expect(history.sessions.map((s) => [s.id, s.score, s.items])).toEqual([
      [second.id, null, 5],
      [first.id, 1 / 5, 5],
    ]);
    expect((await drills.history('local', undefined, 10)).sessions).toHaveLength(3);
    expect((await drills.history('other', 'mock', 10)).sessions).toEqual([]);
  });
});
