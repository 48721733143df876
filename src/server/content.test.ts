/**
 * The HTTP API of course content, saved code and progress, and how bad requests are refused
 * (Fastify inject, real course, store and sandbox).
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CourseIndex, ExerciseView, LessonView } from '../core/api.js';
import {
  CHANGE,
  WORDS_FIXED,
  WORDS_SLOW,
  app,
  course,
  editablePath,
  useTestApp,
} from './server.test-support.js';
import { follow, postWorkbench, startJob } from './requests.test-support.js';

useTestApp();

describe('content', () => {
  it('serves the course index with every module, lesson and exercise', async () => {
    const response = await app.inject({ url: '/api/course' });
    expect(response.statusCode).toBe(200);
    const index = response.json<CourseIndex>();
    expect(index.modules.map((m) => m.id)).toEqual(course.modules.map((m) => m.id));
    expect(index.modules.flatMap((m) => m.lessons)).toHaveLength(course.lessons.length);
    expect(index.modules.flatMap((m) => m.exercises.map((e) => e.id))).toContain('word-frequency');
  });

  it('splits a lesson into Markdown and runnable blocks, without the expected-output fences in the text', async () => {
    const lesson = course.lessons[0];
    const response = await app.inject({ url: `/api/lessons/${lesson?.id}` });
    const view = response.json<LessonView>();
    const blocks = view.segments.filter((s) => s.type === 'block');
    expect(blocks).toHaveLength(lesson?.blocks.length ?? -1);
    const text = view.segments.flatMap((s) => (s.type === 'markdown' ? [s.markdown] : [])).join('\n');
    expect(text).not.toMatch(/```python run/);
    expect(text).not.toMatch(/```output/);
    expect(view.next).toBe(course.lessons[1]?.id);
  });

  it('shows an exercise without its tests, solution, unrevealed hints or explanation', async () => {
    const response = await app.inject({ url: '/api/exercises/word-frequency' });
    expect(response.statusCode).toBe(200);
    const view = response.json<ExerciseView>();
    expect(view.files.map((f) => f.path)).toEqual(['words.py', 'sample_text.py']);
    expect(view.files[0]).toMatchObject({ editable: true, kind: 'code', content: WORDS_SLOW });
    expect(view.hints).toEqual([]);
    expect(view.hintsTotal).toBeGreaterThan(1);
    const everything = response.body;
    expect(everything).not.toContain(WORDS_FIXED.slice(0, 200));
    const exercise = course.exercises.find((e) => e.meta.id === 'word-frequency');
    expect(everything).not.toContain(JSON.stringify(exercise?.explanation.slice(0, 80)).slice(1, -1));
    expect(everything).not.toContain('speed_input');
  });

  it('reveals hints one at a time and records the explanation as shown', async () => {
    const first = await app.inject({
      method: 'POST',
      url: '/api/exercises/stdin-hang/hints',
      headers: CHANGE,
    });
    const second = await app.inject({
      method: 'POST',
      url: '/api/exercises/stdin-hang/hints',
      headers: CHANGE,
    });
    expect(first.json<{ hints: string[] }>().hints).toHaveLength(1);
    expect(second.json<{ hints: string[] }>().hints).toHaveLength(2);
    const view = (await app.inject({ url: '/api/exercises/stdin-hang' })).json<ExerciseView>();
    expect(view.hints).toHaveLength(2);
    expect(view.progress).toMatchObject({ status: 'started', hintsShown: 2, explanationShown: false });
    const explanation = await app.inject({
      method: 'POST',
      url: '/api/exercises/stdin-hang/explanation',
      headers: CHANGE,
    });
    expect(explanation.json<{ explanation: string }>().explanation.length).toBeGreaterThan(100);
    const progress = (await app.inject({ url: '/api/progress' })).json<{
      exercises: Record<string, { explanationShown: boolean }>;
    }>();
    expect(progress.exercises['stdin-hang']?.explanationShown).toBe(true);
  });

  it('auto-saves the editable files, keeps them, and resets to the starter', async () => {
    const save = await app.inject({
      method: 'PUT',
      url: '/api/exercises/racy-counter/files',
      payload: { files: { [editablePath('racy-counter')]: '# my version ✓\n' } },
    });
    expect(save.statusCode).toBe(200);
    let view = (await app.inject({ url: '/api/exercises/racy-counter' })).json<ExerciseView>();
    expect(view.files.find((f) => f.editable)?.content).toBe('# my version ✓\n');
    expect(view.savedAt).toBe(save.json<{ savedAt: number }>().savedAt);
    view = (
      await app.inject({ method: 'DELETE', url: '/api/exercises/racy-counter/files', headers: CHANGE })
    ).json<ExerciseView>();
    expect(view.savedAt).toBeNull();
    expect(view.files.find((f) => f.editable)?.content).not.toBe('# my version ✓\n');
  });

  it('restores the files sent with an earlier job, and only a job of this exercise', async () => {
    const path = editablePath('racy-counter');
    const url = '/api/exercises/racy-counter';
    const jobId = await startJob(`${url}/jobs`, { kind: 'run', files: { [path]: 'print("version one")\n' } });
    expect((await follow(jobId)).job.state).toBe('finished');
    await app.inject({
      method: 'PUT',
      url: `${url}/files`,
      payload: { files: { [path]: '# version two\n' } },
    });

    const restored = await app.inject({ method: 'POST', url: `${url}/files/restore`, payload: { jobId } });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json<ExerciseView>().files.find((f) => f.path === path)?.content).toBe(
      'print("version one")\n',
    );
    const reread = (await app.inject({ url })).json<ExerciseView>();
    expect(reread.files.find((f) => f.path === path)?.content).toBe('print("version one")\n');

    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/exercises/word-frequency/files/restore',
      payload: { jobId },
    });
    expect(elsewhere.statusCode).toBe(404);
    const unknown = await app.inject({
      method: 'POST',
      url: `${url}/files/restore`,
      payload: { jobId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.statusCode).toBe(404);
    const malformed = await app.inject({
      method: 'POST',
      url: `${url}/files/restore`,
      payload: { jobId: 'x' },
    });
    expect(malformed.statusCode).toBe(400);
  });

  it('marks lessons read', async () => {
    const id = course.lessons[1]?.id as string;
    // Read before and after: the cached response of the unread lesson must not be served again.
    const before = (await app.inject({ url: `/api/lessons/${id}` })).json<LessonView>();
    expect(before.progress.readAt).toBeNull();
    expect(
      (await app.inject({ method: 'POST', url: `/api/lessons/${id}/read`, headers: CHANGE })).statusCode,
    ).toBe(204);
    const view = (await app.inject({ url: `/api/lessons/${id}` })).json<LessonView>();
    expect(view.progress.readAt).toBeGreaterThan(0);
    const gzipped = await app.inject({ url: `/api/lessons/${id}`, headers: { 'accept-encoding': 'gzip' } });
    expect(JSON.parse(gunzipSync(gzipped.rawPayload).toString('utf8'))).toEqual(view);
  });

  it('sends lessons gzipped only to clients that accept gzip', async () => {
    const url = `/api/lessons/${course.lessons[0]?.id}`;
    const plain = await app.inject({ url });
    const browserLike = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    const refused = await app.inject({ url, headers: { 'accept-encoding': 'gzip;q=0, identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(browserLike.headers['content-encoding']).toBe('gzip');
    expect(browserLike.headers['vary']).toMatch(/accept-encoding/i);
    expect(browserLike.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    const unzipped = JSON.parse(gunzipSync(browserLike.rawPayload).toString('utf8')) as LessonView;
    expect(unzipped).toEqual(plain.json<LessonView>());
    expect(refused.json<LessonView>()).toEqual(unzipped);
  });

  it('publishes an OpenAPI document that names every route', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, unknown>;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/course',
      '/api/lessons/{id}',
      '/api/exercises/{id}',
      '/api/exercises/{id}/files',
      '/api/exercises/{id}/files/restore',
      '/api/exercises/{id}/jobs',
      '/api/workbench/jobs',
      '/api/jobs/{id}',
      '/api/jobs/{id}/events',
      '/api/jobs/{id}/cancel',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });
});

describe('bad requests get a clear message and the right status', () => {
  it.each([
    ['GET', '/api/exercises/no-such-exercise', undefined, 404, /exercise "no-such-exercise" does not exist/],
    ['GET', '/api/lessons/Bad..Id', undefined, 400, /lowercase-kebab-case/],
    ['GET', '/api/jobs/not-a-uuid', undefined, 400, /params/],
    ['GET', '/api/jobs/00000000-0000-4000-8000-000000000000', undefined, 404, /does not exist/],
    ['GET', '/api/nothing-here', undefined, 404, /no route/],
    ['PUT', '/api/exercises/word-frequency/files', { files: { 'tests/cases.py': 'x' } }, 400, /not editable/],
    ['PUT', '/api/exercises/word-frequency/files', { files: { '../escape.py': 'x' } }, 400, /escape\.py/],
    ['POST', '/api/exercises/word-frequency/jobs', { kind: 'explode' }, 400, /kind/],
    [
      'POST',
      '/api/workbench/jobs',
      { kind: 'run', entry: 'main.py', files: [{ path: 'other.py', content: '' }] },
      400,
      /not among/,
    ],
    [
      'POST',
      '/api/workbench/jobs',
      { kind: 'timeit', entry: 'a.py', files: [{ path: 'a.py', content: '' }], candidates: ['f'] },
      400,
      /two candidates/,
    ],
  ])('%s %s → %i', async (method, url, payload, status, message) => {
    const response = await app.inject({
      method: method as 'GET',
      url,
      payload: payload as object | undefined,
    });
    expect(response.statusCode).toBe(status);
    expect(response.json<{ message: string }>().message).toMatch(message);
  });

  it('refuses an oversized upload with 413', async () => {
    const response = await postWorkbench({
      kind: 'run',
      entry: 'main.py',
      files: [{ path: 'main.py', content: 'x'.repeat(9 * 1024 * 1024) }],
    });
    expect(response.statusCode).toBe(413);
  });

  it('refuses a malformed JSON body with 400', async () => {
    const response = await postWorkbench('{"kind": "run", ');
    expect(response.statusCode).toBe(400);
  });
});

describe('prototype keys', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'constructor/prototype'])(
    'GET /api/exercises/:id/data/%s → 404',
    async (name) => {
      const response = await app.inject({ url: `/api/exercises/word-frequency/data/${name}` });
      expect(response.statusCode).toBe(404);
      expect(response.json<{ message: string }>().message).toMatch(/does not exist/);
    },
  );

  const job = '"kind": "run", "entry": "a.py", "files": [{"path": "a.py", "content": ""}]';
  it.each([
    [`{"__proto__": {"polluted": true}, ${job}}`, /forbidden key "__proto__"/],
    [`{"\\u005f_proto__": {"polluted": true}, ${job}}`, /forbidden key "__proto__"/],
    [`{"constructor": {"prototype": {"polluted": true}}, ${job}}`, /forbidden key "constructor\.prototype"/],
    [
      '{"kind": "run", "entry": "a.py", "files": [{"path": "a.py", "content": "", "__proto__": {"x": 1}}]}',
      /forbidden key "__proto__"/,
    ],
  ])('a poisoned JSON body %s → 400 naming the key', async (body, message) => {
    const response = await postWorkbench(body);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toMatch(message);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a body that only mentions such words in values is fine', async () => {
    const response = await postWorkbench({
      kind: 'run',
      entry: 'a.py',
      files: [{ path: 'a.py', content: 'print("__proto__", "constructor")\n' }],
    });
    expect(response.statusCode, response.body).toBe(202);
    await follow(response.json<{ jobId: string }>().jobId);
  });
});
