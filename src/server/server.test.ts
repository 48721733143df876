/**
 * The HTTP API through Fastify's inject (no port): the real course, a real SQLite store,
 * real Python in the real sandbox, the real queue.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourseIndex, ExerciseView, JobView, LessonView, ProfileResultView } from '../core/api.js';
import type { VerifyReport } from '../core/verify-report.js';
import { loadCourse } from '../course/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { availableSandboxes, runtime } from '../test-support/sandboxes.js';
import { buildApp } from './app.js';
import type { JobManager } from './jobs.js';

const course = await loadCourse(join(PROJECT_ROOT, 'course'));
const sandbox = (availableSandboxes()[0] as { make: () => import('../sandbox/types.js').Sandbox }).make();
const queue = createMemoryQueue({ concurrency: 2 });
const runner = new Runner(sandbox, queue);

let app: FastifyInstance;
let jobs: JobManager;
let store: Store;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'perflab-server-test-'));
  store = await openSqliteStore({ file: join(dataDir, 'perflab.sqlite') });
  ({ app, jobs } = await buildApp({ course, store, runner, runtime }));
});

afterAll(async () => {
  await jobs.close(0);
  await app.close();
  await queue.close();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface SseEvent {
  event: string;
  data: unknown;
}

function parseSse(body: string): SseEvent[] {
  return body
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) as unknown };
    });
}

async function startJob(url: string, payload: object): Promise<string> {
  const response = await app.inject({ method: 'POST', url, payload });
  expect(response.statusCode, response.body).toBe(202);
  return response.json<{ jobId: string }>().jobId;
}

/** Follows the job's event stream to its end, as the browser does. */
async function follow(jobId: string): Promise<{ events: SseEvent[]; job: JobView }> {
  const response = await app.inject({ url: `/api/jobs/${jobId}/events` });
  expect(response.headers['content-type']).toContain('text/event-stream');
  const events = parseSse(response.body);
  const end = events.at(-1);
  expect(end?.event).toBe('end');
  return { events, job: (end?.data as { job: JobView }).job };
}

const WORDS_SLOW = readFileSync(
  join(PROJECT_ROOT, 'course/exercises/word-frequency/starter/words.py'),
  'utf8',
);
const WORDS_FIXED = readFileSync(
  join(PROJECT_ROOT, 'course/exercises/word-frequency/solution/words.py'),
  'utf8',
);

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
    const first = await app.inject({ method: 'POST', url: '/api/exercises/stdin-hang/hints' });
    const second = await app.inject({ method: 'POST', url: '/api/exercises/stdin-hang/hints' });
    expect(first.json<{ hints: string[] }>().hints).toHaveLength(1);
    expect(second.json<{ hints: string[] }>().hints).toHaveLength(2);
    const view = (await app.inject({ url: '/api/exercises/stdin-hang' })).json<ExerciseView>();
    expect(view.hints).toHaveLength(2);
    expect(view.progress).toMatchObject({ status: 'started', hintsShown: 2, explanationShown: false });
    const explanation = await app.inject({ method: 'POST', url: '/api/exercises/stdin-hang/explanation' });
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
      await app.inject({ method: 'DELETE', url: '/api/exercises/racy-counter/files' })
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
    expect((await app.inject({ method: 'POST', url: `/api/lessons/${id}/read` })).statusCode).toBe(204);
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

function editablePath(id: string): string {
  return course.exercises.find((e) => e.meta.id === id)?.meta.edit[0] as string;
}

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
    const response = await app.inject({
      method: 'POST',
      url: '/api/workbench/jobs',
      payload: {
        kind: 'run',
        entry: 'main.py',
        files: [{ path: 'main.py', content: 'x'.repeat(9 * 1024 * 1024) }],
      },
    });
    expect(response.statusCode).toBe(413);
  });

  it('refuses a malformed JSON body with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/workbench/jobs',
      headers: { 'content-type': 'application/json' },
      payload: '{"kind": "run", ',
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('jobs', () => {
  it('runs an exercise, streams its output, and stores the result', async () => {
    const jobId = await startJob('/api/exercises/word-frequency/jobs', { kind: 'run' });
    const { events, job } = await follow(jobId);
    expect(events[0]?.event).toBe('state');
    expect(events.some((e) => e.event === 'output')).toBe(true);
    expect(job.state).toBe('finished');
    expect(job.output.map((c) => c.text).join('')).toMatch(/\w/);
    const stored = (await app.inject({ url: `/api/jobs/${jobId}` })).json<JobView>();
    expect(stored.result).toMatchObject({ kind: 'run', run: { status: 'ok', exitCode: 0 } });
    const history = (await app.inject({ url: '/api/exercises/word-frequency/jobs' })).json<{
      jobs: { id: string }[];
    }>();
    expect(history.jobs[0]?.id).toBe(jobId);
  });

  it('profiles the starter: the hot function, line timings, memory, and downloadable profiles', async () => {
    const jobId = await startJob('/api/exercises/word-frequency/jobs', { kind: 'profile' });
    const { events, job } = await follow(jobId);
    expect(events.filter((e) => e.event === 'progress').length).toBeGreaterThanOrEqual(2);
    const result = job.result as unknown as ProfileResultView;
    const hottest = result.profile?.functions.find((f) => f.id === result.hot[0]?.functionId);
    expect(hottest?.name).toBe('word_frequencies');
    expect(result.lines?.functions.some((f) => f.name === 'word_frequencies')).toBe(true);
    expect(result.memory?.peakBytes).toBeGreaterThan(0);
    expect(result.callTree.length).toBeGreaterThan(0);
    expect(JSON.stringify(job)).not.toContain('pstatsBase64');
    const prof = await app.inject({ url: `/api/jobs/${jobId}/artifacts/profile.prof` });
    expect(prof.statusCode).toBe(200);
    expect(prof.rawPayload.length).toBeGreaterThan(200);
    const speedscope = await app.inject({ url: `/api/jobs/${jobId}/artifacts/profile.speedscope.json` });
    expect(speedscope.json<{ $schema: string }>().$schema).toContain('speedscope');
  });

  it('verifies the fixed code: every check passes and the exercise is solved', async () => {
    const jobId = await startJob('/api/exercises/word-frequency/jobs', {
      kind: 'verify',
      files: { 'words.py': WORDS_FIXED },
    });
    const { job } = await follow(jobId);
    const report = (job.result as { verify: VerifyReport }).verify;
    expect(report.checks.map((c) => [c.id, c.passed])).toEqual([
      ['correct', true],
      ['fast-enough', true],
      ['grows-linearly', true],
    ]);
    expect(job.passed).toBe(true);
    const progress = (await app.inject({ url: '/api/progress' })).json<{
      exercises: Record<string, { status: string }>;
    }>();
    expect(progress.exercises['word-frequency']?.status).toBe('solved');
    // The code sent with the job was saved.
    const view = (await app.inject({ url: '/api/exercises/word-frequency' })).json<ExerciseView>();
    expect(view.files[0]?.content).toBe(WORDS_FIXED);
  });

  it('cancels a running job and kills its program', async () => {
    const jobId = await startJob('/api/workbench/jobs', {
      kind: 'run',
      entry: 'main.py',
      files: [{ path: 'main.py', content: 'import time\nprint("started", flush=True)\ntime.sleep(30)\n' }],
    });
    const started = Date.now();
    for (;;) {
      const view = (await app.inject({ url: `/api/jobs/${jobId}` })).json<JobView>();
      if (view.output.length > 0) break;
      if (Date.now() - started > 10_000) throw new Error('the job never printed');
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancelled = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/cancel` });
    expect(cancelled.json<JobView>().state).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await store.getJob(jobId))?.state).toBe('cancelled');
  });

  it('runs a lesson example and compares it with the expected output', async () => {
    const lesson = course.lessons.find((l) =>
      l.blocks.some((b) => b.kind === 'run' && b.expect === 'success'),
    );
    const index = lesson?.blocks.findIndex((b) => b.kind === 'run' && b.expect === 'success') ?? -1;
    const jobId = await startJob(`/api/lessons/${lesson?.id}/blocks/${index}/run`, {});
    const { job } = await follow(jobId);
    expect(job.result).toMatchObject({ kind: 'block', ok: true });
  });

  it('profiles a workbench script with a binary data file', async () => {
    const jobId = await startJob('/api/workbench/jobs', {
      kind: 'profile',
      entry: 'main.py',
      files: [
        {
          path: 'main.py',
          content:
            'def total(data):\n    return sum(b for b in data)\n\nprint(total(open("blob.bin", "rb").read()))\n',
        },
        { path: 'blob.bin', content: Buffer.from([1, 2, 3, 250]).toString('base64'), base64: true },
      ],
    });
    const { job } = await follow(jobId);
    expect(job.output.map((c) => c.text).join('')).toBe('256\n');
    const result = job.result as unknown as ProfileResultView;
    expect(result.profile?.functions.some((f) => f.name === 'total' && f.origin === 'user')).toBe(true);
  });

  it('re-attaches: a second subscriber of a finished job gets the whole replay', async () => {
    const jobId = await startJob('/api/workbench/jobs', {
      kind: 'run',
      entry: 'main.py',
      files: [{ path: 'main.py', content: 'for i in range(3): print(i)\n' }],
    });
    const first = await follow(jobId);
    const second = await follow(jobId);
    expect(second.job.output.map((c) => c.text).join('')).toBe(first.job.output.map((c) => c.text).join(''));
    expect(second.events.filter((e) => e.event === 'output').length).toBeGreaterThan(0);
  });
});

describe('client-made job ids', () => {
  it('an event stream opened before the start request follows the job from its start', async () => {
    const jobId = '7d0c7f4e-3b1a-4c1e-9f2a-5b6c7d8e9f01';
    const stream = app.inject({ url: `/api/jobs/${jobId}/events?pending=1` });
    await new Promise((r) => setTimeout(r, 100));
    const created = await app.inject({
      method: 'POST',
      url: '/api/workbench/jobs',
      payload: {
        kind: 'run',
        jobId,
        entry: 'main.py',
        files: [{ path: 'main.py', content: 'print("early bird")\n' }],
      },
    });
    expect(created.json<{ jobId: string }>().jobId).toBe(jobId);
    const events = parseSse((await stream).body);
    expect(
      events
        .filter((e) => e.event === 'output')
        .map((e) => (e.data as { chunk: { text: string } }).chunk.text)
        .join(''),
    ).toBe('early bird\n');
    const again = await app.inject({
      method: 'POST',
      url: '/api/workbench/jobs',
      payload: { kind: 'run', jobId, entry: 'main.py', files: [{ path: 'main.py', content: 'print(1)\n' }] },
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('graceful shutdown', () => {
  it('refuses new jobs, gives running ones the grace period, then cancels and stores them', async () => {
    const second = await buildApp({ course, store, runner, runtime });
    const response = await second.app.inject({
      method: 'POST',
      url: '/api/workbench/jobs',
      payload: {
        kind: 'run',
        entry: 'main.py',
        files: [{ path: 'main.py', content: 'import time\ntime.sleep(60)\n' }],
      },
    });
    const jobId = response.json<{ jobId: string }>().jobId;
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    const closing = second.jobs.close(300);
    const refused = await second.app.inject({
      method: 'POST',
      url: '/api/workbench/jobs',
      payload: { kind: 'run', entry: 'main.py', files: [{ path: 'main.py', content: 'print(1)\n' }] },
    });
    expect(refused.statusCode).toBe(503);
    await closing;
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await store.getJob(jobId))?.state).toBe('cancelled');
    await second.app.close();
  });

  it('marks jobs a crashed server left unfinished as interrupted', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    await store.insertJob({
      id,
      learnerId: 'local',
      kind: 'run',
      target: 'workbench',
      state: 'running',
      createdAt: Date.now(),
      startedAt: Date.now(),
      finishedAt: null,
      message: null,
      passed: null,
      request: {},
      output: [],
      outputTruncated: false,
      progress: [],
      result: null,
    });
    expect(await store.markUnfinishedInterrupted(Date.now())).toBeGreaterThanOrEqual(1);
    expect((await app.inject({ url: `/api/jobs/${id}` })).json<JobView>().state).toBe('interrupted');
  });
});
