/**
 * The drill API (/api/drills): the question list and its counts, review and the FSRS schedule
 * seen through the server's clock, undo, settings, bad input, the OpenAPI document, and the
 * origin check on every change. Sessions (quick-fire, mock) are in drill-sessions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { DrillList, DrillView, ReviewQueue, ReviewResult, UndoResult } from '../core/drill-api.js';
import { DAY_MS, MINUTE_MS, START_MS, call, clock, course, ok, useDrillApp } from './drills.test-support.js';

useDrillApp();

const total = course.drills.length;
const firstDrill = course.drills[0]!;
const moduleId = firstDrill.module;

describe('the question list', () => {
  it('lists every question as new for a learner who never graded one, filtered by module and kind', async () => {
    clock.nowMs = START_MS;
    const all = await ok<DrillList>('lister', 'GET', '/api/drills');
    expect(all.drills).toHaveLength(total);
    expect(all.counts).toMatchObject({ total, new: total, learning: 0, due: 0, known: 0, dueToday: 0 });
    expect(new Set(all.drills.map((d) => d.status))).toEqual(new Set(['new']));
    expect(all.settings.targetRetention).toBeGreaterThanOrEqual(0.7);

    const inModule = await ok<DrillList>('lister', 'GET', `/api/drills?module=${moduleId}`);
    const wanted = course.drills.filter((d) => d.module === moduleId).map((d) => d.id);
    expect(inModule.drills.map((d) => d.id).sort()).toEqual([...wanted].sort());

    const scenarios = await ok<DrillList>('lister', 'GET', '/api/drills?kind=scenario');
    expect(scenarios.drills.length).toBe(course.drills.filter((d) => d.kind === 'scenario').length);
    expect(scenarios.drills.every((d) => d.kind === 'scenario')).toBe(true);
  });

  it('shows one question whole: answers, rubric and when it comes back for each grade', async () => {
    clock.nowMs = START_MS;
    const view = await ok<DrillView>('viewer', 'GET', `/api/drills/${firstDrill.id}`);
    expect(view).toMatchObject({
      id: firstDrill.id,
      question: firstDrill.question,
      status: 'new',
      dueAtMs: null,
    });
    expect(view.keyPoints.length).toBeGreaterThanOrEqual(3);
    // Again < Hard < Good < Easy, all after now (the server's clock, not the test's wall clock).
    expect(START_MS).toBeLessThan(view.next[1]);
    expect(view.next[1]).toBeLessThanOrEqual(view.next[2]);
    expect(view.next[2]).toBeLessThanOrEqual(view.next[3]);
    expect(view.next[3]).toBeLessThan(view.next[4]);
  });
});

describe('review on the server clock', () => {
  it('a graded question is not due again until its interval passes; then it is due and leads the queue', async () => {
    const learner = 'reviewer';
    clock.nowMs = START_MS;
    const result = await ok<ReviewResult>(learner, 'POST', `/api/drills/${firstDrill.id}/review`, {
      grade: 4,
      typedAnswer: 'something I remembered',
      durationMs: 5000,
    });
    expect(result).toMatchObject({ drillId: firstDrill.id, status: 'known' });
    expect(result.dueAtMs).toBeGreaterThan(START_MS + DAY_MS);
    expect(result.counts).toMatchObject({ total, new: total - 1, known: 1, due: 0 });

    // Just before it comes back: neither due nor in the queue's due part.
    clock.nowMs = result.dueAtMs - MINUTE_MS;
    const before = await ok<ReviewQueue>(learner, 'GET', '/api/drills/review?newLimit=0');
    expect(before.drills).toEqual([]);
    expect(before.counts.due).toBe(0);

    clock.nowMs = result.dueAtMs + MINUTE_MS;
    const after = await ok<ReviewQueue>(learner, 'GET', '/api/drills/review?newLimit=0');
    expect(after.drills.map((d) => d.id)).toEqual([firstDrill.id]);
    expect(after.counts).toMatchObject({ due: 1, dueToday: 1, known: 0 });
    const list = await ok<DrillList>(learner, 'GET', `/api/drills?module=${moduleId}`);
    expect(list.drills.find((d) => d.id === firstDrill.id)).toMatchObject({
      status: 'due',
      dueAtMs: result.dueAtMs,
    });
  });

  it('the queue introduces at most newLimit new questions after the due ones', async () => {
    clock.nowMs = START_MS;
    const queue = await ok<ReviewQueue>('queuer', 'GET', `/api/drills/review?module=${moduleId}&newLimit=3`);
    expect(queue.drills).toHaveLength(3);
    expect(queue.drills.every((d) => d.status === 'new' && d.module === moduleId)).toBe(true);
  });

  it('"due today" ends at the learner local midnight (utcOffsetMinutes from the query)', async () => {
    const learner = 'night-owl';
    clock.nowMs = START_MS;
    // Good on a new question: back after a learning step of minutes, later today on the UTC day.
    const good = await ok<ReviewResult>(learner, 'POST', `/api/drills/${firstDrill.id}/review`, { grade: 3 });
    expect(good.status).toBe('learning');
    expect(good.dueAtMs - START_MS).toBeGreaterThan(2 * MINUTE_MS);
    expect(good.dueAtMs - START_MS).toBeLessThan(60 * MINUTE_MS);
    expect(good.counts).toMatchObject({ due: 0, learning: 1, dueToday: 1 });
    // A learner far enough east that local midnight falls between now and its due time (the
    // offset is whole minutes, rounded down so midnight is at or after the midpoint).
    const midpointMs = START_MS + (good.dueAtMs - START_MS) / 2;
    const offset = Math.floor((DAY_MS - (midpointMs % DAY_MS)) / MINUTE_MS);
    const east = await ok<DrillList>(learner, 'GET', `/api/drills?utcOffsetMinutes=${offset}`);
    expect(east.counts).toMatchObject({ due: 0, learning: 1, dueToday: 0 });
    // The counts a grade and an undo return are for the learner's day too.
    const second = course.drills[1]!;
    const graded = await ok<ReviewResult>(
      learner,
      'POST',
      `/api/drills/${second.id}/review?utcOffsetMinutes=${offset}`,
      { grade: 3 },
    );
    expect(graded.counts).toMatchObject({ learning: 2, dueToday: 0 });
    const undone = await ok<UndoResult>(learner, 'POST', `/api/drills/undo?utcOffsetMinutes=${offset}`);
    expect(undone.counts).toMatchObject({ learning: 1, dueToday: 0 });
    expect((await ok<UndoResult>(learner, 'POST', '/api/drills/undo')).counts).toMatchObject({
      dueToday: 0,
      new: total,
    });
  });

  it('undo takes back the last grade: the question is new again, and nothing is left to undo after', async () => {
    const learner = 'undoer';
    clock.nowMs = START_MS;
    const second = course.drills[1]!;
    await ok(learner, 'POST', `/api/drills/${firstDrill.id}/review`, { grade: 3 });
    clock.nowMs += MINUTE_MS;
    await ok(learner, 'POST', `/api/drills/${second.id}/review`, { grade: 4 });
    clock.nowMs += MINUTE_MS;

    const undone = await ok<UndoResult>(learner, 'POST', '/api/drills/undo');
    expect(undone.drill).toMatchObject({ id: second.id, status: 'new', dueAtMs: null });
    expect(undone.counts).toMatchObject({ new: total - 1, learning: 1 });
    const undoneFirst = await ok<UndoResult>(learner, 'POST', '/api/drills/undo');
    expect(undoneFirst.drill?.id).toBe(firstDrill.id);
    const nothing = await ok<UndoResult>(learner, 'POST', '/api/drills/undo');
    expect(nothing).toMatchObject({ drill: null, counts: { new: total } });
  });

  it('settings: target retention is kept per learner and bounded', async () => {
    const defaults = await ok<{ targetRetention: number }>('tuner', 'GET', '/api/drills/settings');
    expect(await ok('tuner', 'PUT', '/api/drills/settings', { targetRetention: 0.95 })).toEqual({
      targetRetention: 0.95,
    });
    expect(await ok('tuner', 'GET', '/api/drills/settings')).toEqual({ targetRetention: 0.95 });
    expect(await ok('someone-else', 'GET', '/api/drills/settings')).toEqual(defaults);
    // A higher target retention brings a question back sooner.
    clock.nowMs = START_MS;
    const strict = await ok<DrillView>('tuner', 'GET', `/api/drills/${firstDrill.id}`);
    const relaxed = await ok<DrillView>('someone-else', 'GET', `/api/drills/${firstDrill.id}`);
    expect(strict.next[4]).toBeLessThan(relaxed.next[4]);
  });
});

describe('bad input gets 400 and unknown ids 404, in the API error shape', () => {
  it.each([
    ['POST', `/api/drills/${firstDrill.id}/review`, { grade: 5 }, 400, /grade/],
    ['POST', `/api/drills/${firstDrill.id}/review`, { grade: '3' }, 400, /grade/],
    ['POST', `/api/drills/${firstDrill.id}/review`, {}, 400, /grade/],
    ['POST', `/api/drills/${firstDrill.id}/review`, { grade: 3, durationMs: -1 }, 400, /durationMs/],
    [
      'POST',
      `/api/drills/${firstDrill.id}/review?utcOffsetMinutes=5000`,
      { grade: 3 },
      400,
      /utcOffsetMinutes/,
    ],
    ['GET', '/api/drills?kind=essay', undefined, 400, /kind/],
    ['GET', '/api/drills/review?newLimit=-1', undefined, 400, /newLimit/],
    ['GET', '/api/drills/Not_An_Id', undefined, 400, /lowercase-kebab-case/],
    [
      'POST',
      `/api/drills/${firstDrill.id}/review`,
      { grade: 3, typedAnswer: 'x'.repeat(20_001) },
      400,
      /typedAnswer/,
    ],
    ['PUT', '/api/drills/settings', { targetRetention: 0.5 }, 400, /targetRetention/],
    ['PUT', '/api/drills/settings', {}, 400, /targetRetention/],
    ['GET', '/api/drills/no-such-drill', undefined, 404, /drill "no-such-drill" does not exist/],
    ['POST', '/api/drills/no-such-drill/review', { grade: 3 }, 404, /no-such-drill/],
  ] as const)('%s %s %j → %i', async (method, url, payload, status, message) => {
    const reply = await call<{ error: string; message: string }>('bad-input', method, url, payload);
    expect(reply.status, JSON.stringify(reply.body)).toBe(status);
    expect(reply.body.error).toBe(status === 404 ? 'not-found' : 'bad-request');
    expect(reply.body.message).toMatch(message);
  });

  it('a refused review changes nothing', async () => {
    const list = await ok<DrillList>('bad-input', 'GET', '/api/drills');
    expect(list.counts.new).toBe(total);
  });
});

describe('the boundary', () => {
  const evil = { origin: 'http://evil.example' };
  it('a cross-origin change is refused with 403 and changes nothing', async () => {
    clock.nowMs = START_MS;
    const learner = 'victim';
    await ok(learner, 'POST', `/api/drills/${firstDrill.id}/review`, { grade: 3 });
    for (const [method, url, payload] of [
      ['POST', `/api/drills/${course.drills[1]!.id}/review`, { grade: 4 }],
      ['POST', '/api/drills/undo', undefined],
      ['PUT', '/api/drills/settings', { targetRetention: 0.97 }],
      ['POST', '/api/drills/quick-fire', {}],
      ['POST', '/api/drills/mock', {}],
    ] as const) {
      const reply = await call<{ message: string }>(learner, method, url, payload, evil);
      expect(reply.status, `${method} ${url}: ${JSON.stringify(reply.body)}`).toBe(403);
    }
    const list = await ok<DrillList>(learner, 'GET', '/api/drills');
    expect(list.counts).toMatchObject({ new: total - 1, learning: 1 });
    expect(list.settings).toEqual(await ok('nobody', 'GET', '/api/drills/settings'));
    expect(await ok(learner, 'GET', '/api/drill-sessions')).toEqual({ sessions: [] });
  });

  it('a body over the server limit is refused with 413 before it is parsed', async () => {
    const reply = await call<{ error: string }>('victim', 'POST', `/api/drills/${firstDrill.id}/review`, {
      grade: 3,
      typedAnswer: 'x'.repeat(9 * 1024 * 1024),
    });
    expect(reply.status).toBe(413);
    expect(reply.body.error).toBe('too-large');
  });

  it('a POST without a body needs X-Perflab (a plain form cannot undo)', async () => {
    const reply = await call('victim', 'POST', '/api/drills/undo', undefined, { 'x-perflab': undefined });
    expect(reply.status).toBe(403);
  });
});

describe('the OpenAPI document', () => {
  it('names every drill route with its schemas', async () => {
    const doc = await ok<{
      paths: Record<string, Record<string, { requestBody?: unknown; responses: object }>>;
    }>('local', 'GET', '/api/openapi.json');
    const routes: [string, string][] = [
      ['/api/drills', 'get'],
      ['/api/drills/review', 'get'],
      ['/api/drills/{id}', 'get'],
      ['/api/drills/{id}/review', 'post'],
      ['/api/drills/undo', 'post'],
      ['/api/drills/settings', 'get'],
      ['/api/drills/settings', 'put'],
      ['/api/drills/quick-fire', 'post'],
      ['/api/drills/mock', 'post'],
      ['/api/drill-sessions', 'get'],
      ['/api/drill-sessions/{id}', 'get'],
      ['/api/drill-sessions/{id}/items/{index}/start', 'post'],
      ['/api/drill-sessions/{id}/items/{index}/answer', 'post'],
      ['/api/drill-sessions/{id}/finish', 'post'],
    ];
    for (const [path, method] of routes) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const review = doc.paths['/api/drills/{id}/review']!.post!;
    expect(JSON.stringify(review.requestBody)).toContain('"grade"');
    expect(Object.keys(review.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(Object.keys(doc.paths['/api/drills/quick-fire']!.post!.responses)).toContain('201');
  });
});
