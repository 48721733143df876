/**
 * The HTTP API through Fastify's inject (no port): the real course, a real SQLite store,
 * real Python in the real sandbox, the real queue.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourseIndex, ExerciseView, JobView, LessonView, ProfileResultView } from '../core/api.js';
import type { VerifyReport } from '../core/verify-report.js';
import { loadCourse } from '../course/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { SandboxUnavailableError } from '../sandbox/select.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { availableSandboxes, runtime } from '../test-support/sandboxes.js';
import { buildApp } from './app.js';
import { isLoopbackAddress } from './boundary.js';
import type { JobManager } from './jobs.js';
import { startServer } from './serve.js';

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

/** What the web app sends with a change that has no body (see boundary.ts). */
const CHANGE = { 'x-perflab': '1' };

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
    const cancelled = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/cancel`, headers: CHANGE });
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

// ---------------------------------------------------------------- issue 9: the server boundary

/** A request on a real socket, with any Host header (or none). */
function rawRequest(
  port: number,
  options: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        setHost: false,
        headers: { ...(options.host === undefined ? {} : { host: options.host }), ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('only the configured origins are served (DNS rebinding)', () => {
  const foreign = { host: 'evil.example:4321', origin: 'http://evil.example:4321' };
  it.each([
    ['GET', '/api/progress', undefined],
    [
      'POST',
      '/api/workbench/jobs',
      { kind: 'run', entry: 'a.py', files: [{ path: 'a.py', content: 'print(open("/etc/passwd").read())' }] },
    ],
    [
      'PUT',
      '/api/exercises/racy-counter/files',
      { files: { [editablePath('racy-counter')]: '# foreign\n' } },
    ],
    ['GET', '/', undefined],
    ['GET', '/lessons/anything', undefined],
  ])('%s %s under Host evil.example:4321 → 421 saying how to allow it', async (method, url, payload) => {
    const jobsBefore = (await store.listJobs({ learnerId: 'local', limit: 1000 })).length;
    const response = await app.inject({
      method: method as 'GET',
      url,
      payload: payload as object | undefined,
      headers: foreign,
    });
    expect(response.statusCode, response.body).toBe(421);
    expect(response.json<{ message: string }>().message).toMatch(/--public-url.*PERFLAB_PUBLIC_URL/);
    expect((await store.listJobs({ learnerId: 'local', limit: 1000 })).length).toBe(jobsBefore);
    expect((await store.getSavedFiles('local', 'racy-counter'))?.files).not.toEqual({
      [editablePath('racy-counter')]: '# foreign\n',
    });
  });

  it('once listening: the loopback names on the bound port and the public URL, nothing else', async () => {
    const served = await buildApp({
      course,
      store,
      runner,
      runtime,
      publicUrls: ['https://perflab.example.org'],
    });
    await served.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (served.app.server.address() as AddressInfo).port;
      const status = async (host: string | undefined) =>
        (await rawRequest(port, { path: '/api/health', host })).status;
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'perflab.example.org'])
        expect(await status(host), host).toBe(200);
      for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost', 'evil.example'])
        expect(await status(host), host).toBe(421);
      // No Host at all: Node's HTTP server answers 400 itself before perflab sees the request.
      expect(await status(undefined)).not.toBe(200);

      // Origins: the bound port only; another local port is another site.
      const hint = (origin: string) =>
        rawRequest(port, {
          method: 'POST',
          path: '/api/exercises/word-frequency/hints',
          host: `127.0.0.1:${port}`,
          headers: { origin, 'x-perflab': '1' },
        });
      expect((await hint(`http://127.0.0.1:${port + 1}`)).status).toBe(403);
      expect((await hint(`http://localhost:${port}`)).status).toBe(200);
      expect((await hint('https://perflab.example.org')).status).toBe(200);
    } finally {
      await served.jobs.close(0);
      await served.app.close();
    }
  });
});

describe('changes only from perflab’s own pages (cross-site requests)', () => {
  const lessonId = () => course.lessons[2]?.id as string;
  const targets = () => [
    '/api/exercises/racy-counter/hints',
    '/api/exercises/racy-counter/explanation',
    `/api/lessons/${lessonId()}/read`,
    '/api/jobs/00000000-0000-4000-8000-000000000000/cancel',
  ];

  it('a foreign page gets 403 for body-less and text/plain POSTs, and nothing changes', async () => {
    const attacks: { headers: Record<string, string>; payload?: string }[] = [
      { headers: { origin: 'http://evil.example' } },
      { headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, payload: '{}' },
      { headers: { origin: 'null', 'x-perflab': '1' } },
      { headers: { 'sec-fetch-site': 'cross-site' } },
      { headers: { 'sec-fetch-site': 'same-site', 'content-type': 'text/plain' }, payload: 'x' },
      // No Origin and no Sec-Fetch-Site (an old browser, a form): neither JSON nor the header.
      { headers: {} },
      { headers: { 'content-type': 'text/plain' }, payload: '{}' },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' },
    ];
    for (const url of targets())
      for (const attack of attacks) {
        const response = await app.inject({ method: 'POST', url, ...attack });
        expect(response.statusCode, `${url} ${JSON.stringify(attack)}: ${response.body}`).toBe(403);
        expect(response.json<{ message: string }>().message).toMatch(/own pages|JSON|X-Perflab/);
      }
    const progress = await store.getProgress('local');
    expect(progress.exercises['racy-counter']?.hintsShown ?? 0).toBe(0);
    expect(progress.exercises['racy-counter']?.explanationShown ?? false).toBe(false);
    expect(progress.lessons[lessonId()]?.readAt ?? null).toBeNull();
  });

  it('the app’s own requests, and clients without Origin that send JSON or X-Perflab, pass', async () => {
    const ok = [
      { headers: { origin: 'http://localhost:4321', 'content-type': 'application/json' }, payload: '{}' },
      { headers: { 'sec-fetch-site': 'same-origin', 'x-perflab': '1' } },
      { headers: { 'x-perflab': '1' } },
      { headers: { 'content-type': 'application/json; charset=utf-8' }, payload: '{}' },
    ];
    for (const request of ok) {
      const response = await app.inject({
        method: 'POST',
        url: `/api/lessons/${lessonId()}/read`,
        ...request,
      });
      expect(response.statusCode, JSON.stringify(request)).toBe(204);
    }
  });
});

describe('security headers', () => {
  function expectHeaders(headers: Record<string, unknown>, what: string) {
    const csp = String(headers['content-security-policy']);
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc, what).toBe("'self'");
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(csp, what).toContain("object-src 'none'");
    expect(csp, what).toContain("default-src 'self'");
    expect(headers['x-frame-options'], what).toBe('DENY');
    expect(headers['x-content-type-options'], what).toBe('nosniff');
    expect(headers['referrer-policy'], what).toBe('no-referrer');
  }

  it.each([
    '/api/health',
    '/',
    '/exercises/word-frequency',
    '/api/nothing',
    '/api/exercises/word-frequency/data/words.py',
  ])('GET %s carries the CSP, frame and sniffing protection', async (url) => {
    expectHeaders((await app.inject({ url })).headers, url);
  });

  it('refusals and job event streams carry them too', async () => {
    expectHeaders(
      (await app.inject({ url: '/api/health', headers: { host: 'evil.example' } })).headers,
      '421',
    );
    const jobId = await startJob('/api/workbench/jobs', {
      kind: 'run',
      entry: 'main.py',
      files: [{ path: 'main.py', content: 'print(1)\n' }],
    });
    const stream = await app.inject({ url: `/api/jobs/${jobId}/events` });
    expect(stream.headers['content-type']).toContain('text/event-stream');
    expectHeaders(stream.headers, 'event stream');
  });

  it('the web app’s page has no inline script for the CSP to block', () => {
    const html = readFileSync(join(PROJECT_ROOT, 'web/index.html'), 'utf8');
    const inline = [...html.matchAll(/<script\b([^>]*)>/g)].filter((m) => !/\bsrc=/.test(m[1] ?? ''));
    expect(inline.map((m) => m[0])).toEqual([]);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});

describe('perflab serve refuses to run learner code unisolated', () => {
  it('refuses the process backend unless --allow-unisolated, saying how to install bubblewrap', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perflab-serve-test-'));
    try {
      const refused = startServer({
        port: 0,
        host: '127.0.0.1',
        dataDir: dir,
        backend: 'process',
        logLevel: 'silent',
      });
      await expect(refused).rejects.toThrow(
        /unisolated[\s\S]*apt-get install bubblewrap[\s\S]*--allow-unisolated/,
      );
      await expect(refused).rejects.toBeInstanceOf(SandboxUnavailableError);
      const allowed = await startServer({
        port: 0,
        host: '127.0.0.1',
        dataDir: dir,
        backend: 'process',
        logLevel: 'silent',
        allowUnisolated: true,
      });
      const health = await allowed.app.inject({
        url: '/api/health',
        headers: { host: new URL(allowed.url).host },
      });
      expect(health.json<{ isolated: boolean }>().isolated).toBe(false);
      await allowed.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('knows which addresses only this machine reaches', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]'])
      expect(isLoopbackAddress(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'perflab.example.org'])
      expect(isLoopbackAddress(host), host).toBe(false);
  });
});

describe('resources are bounded per learner and in total', () => {
  let multi: { app: FastifyInstance; jobs: JobManager };
  let spoolDir: string;
  const as = (learner: string, extra: Record<string, string> = {}) => ({
    'x-test-learner': learner,
    ...extra,
  });
  const sleeper = (jobId?: string) => ({
    kind: 'run',
    jobId,
    entry: 'main.py',
    files: [{ path: 'main.py', content: 'import time\nprint("up", flush=True)\ntime.sleep(30)\n' }],
  });
  const start = (learner: string, payload: object) =>
    multi.app.inject({ method: 'POST', url: '/api/workbench/jobs', payload, headers: as(learner) });
  const cancel = (learner: string, id: string) =>
    multi.app.inject({
      method: 'POST',
      url: `/api/jobs/${id}/cancel`,
      headers: as(learner, { 'x-perflab': '1' }),
    });

  beforeAll(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'perflab-spool-test-'));
    multi = await buildApp({
      course,
      store,
      runner,
      runtime,
      spoolDir,
      // The seam accounts will replace: who is asking comes from the request.
      learnerOf: (request) => String(request.headers['x-test-learner'] ?? 'local'),
      limits: { maxPendingJobs: 3, maxPendingJobsPerLearner: 2, maxEventStreamsPerLearner: 2 },
    });
  });
  afterAll(async () => {
    await multi.jobs.close(0);
    await multi.app.close();
    await rm(spoolDir, { recursive: true, force: true });
  });

  it('429 with Retry-After once a learner, or the server, holds too many unfinished jobs', async () => {
    const started: [string, string][] = [];
    try {
      for (const learner of ['alice', 'alice']) {
        const response = await start(learner, sleeper());
        expect(response.statusCode, response.body).toBe(202);
        started.push([learner, response.json<{ jobId: string }>().jobId]);
      }
      const third = await start('alice', sleeper());
      expect(third.statusCode).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(third.json<{ message: string }>().message).toMatch(/2 unfinished jobs/);
      const bob = await start('bob', sleeper());
      expect(bob.statusCode).toBe(202);
      started.push(['bob', bob.json<{ jobId: string }>().jobId]);
      const full = await start('bob', sleeper());
      expect(full.statusCode).toBe(429);
      expect(full.json<{ message: string }>().message).toMatch(/server has 3 unfinished jobs/);
    } finally {
      for (const [learner, id] of started)
        expect((await cancel(learner, id)).json<JobView>().state).toBe('cancelled');
    }
  });

  it('another learner cannot read, follow, cancel or download a job, nor learn that its id exists', async () => {
    const id = randomUUID();
    expect((await start('alice', sleeper(id))).statusCode).toBe(202);
    try {
      for (let waited = 0; ; waited += 50) {
        const view = (
          await multi.app.inject({ url: `/api/jobs/${id}`, headers: as('alice') })
        ).json<JobView>();
        if (view.output.length > 0) break;
        if (waited > 15_000) throw new Error('the job never printed');
        await sleep(50);
      }
      expect((await multi.app.inject({ url: `/api/jobs/${id}`, headers: as('bob') })).statusCode).toBe(404);
      expect((await multi.app.inject({ url: `/api/jobs/${id}/events`, headers: as('bob') })).statusCode).toBe(
        404,
      );
      const asked = Date.now();
      const pending = await multi.app.inject({ url: `/api/jobs/${id}/events?pending=1`, headers: as('bob') });
      expect(pending.statusCode).toBe(404);
      expect(Date.now() - asked).toBeLessThan(1000);
      expect(
        (await multi.app.inject({ url: `/api/jobs/${id}/artifacts/profile.prof`, headers: as('bob') }))
          .statusCode,
      ).toBe(404);
      expect((await cancel('bob', id)).statusCode).toBe(404);
      const still = (
        await multi.app.inject({ url: `/api/jobs/${id}`, headers: as('alice') })
      ).json<JobView>();
      // Bob's cancel changed nothing: the job is still alive (queued behind other jobs or running).
      expect(['queued', 'running']).toContain(still.state);
      // Reusing the id: the same answer whether it is one's own or another learner's.
      const bobs = await start('bob', sleeper(id));
      const alices = await start('alice', sleeper(id));
      expect(bobs.statusCode).toBe(409);
      expect(bobs.body).toBe(alices.body);
      expect(bobs.body).not.toContain(id);
    } finally {
      expect((await cancel('alice', id)).json<JobView>().state).toBe('cancelled');
    }
  });

  it('a stream waiting for an id ends with 404 as soon as another learner starts that id', async () => {
    const id = randomUUID();
    const asked = Date.now();
    const stream = multi.app.inject({ url: `/api/jobs/${id}/events?pending=1`, headers: as('bob') });
    await sleep(100);
    expect(
      (
        await start('alice', {
          kind: 'run',
          jobId: id,
          entry: 'main.py',
          files: [{ path: 'main.py', content: 'print("alice")\n' }],
        })
      ).statusCode,
    ).toBe(202);
    const response = await stream;
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('alice');
    expect(Date.now() - asked).toBeLessThan(3000);
    await multi.app.inject({ url: `/api/jobs/${id}/events`, headers: as('alice') });
  });

  it('caps open job streams per learner with 429', async () => {
    const response = await start('carol', sleeper());
    const id = response.json<{ jobId: string }>().jobId;
    const url = `/api/jobs/${id}/events`;
    const open = [
      multi.app.inject({ url, headers: as('carol') }),
      multi.app.inject({ url, headers: as('carol') }),
    ];
    await sleep(200);
    const third = await multi.app.inject({ url, headers: as('carol') });
    expect(third.statusCode).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    await cancel('carol', id);
    for (const stream of await Promise.all(open)) expect(parseSse(stream.body).at(-1)?.event).toBe('end');
    // Ended streams no longer count.
    expect((await multi.app.inject({ url, headers: as('carol') })).statusCode).toBe(200);
  });
});

describe('queued jobs wait with their files on disk', () => {
  it('queued workbench files (4 × 5 MB) are in the spool folder, not in the server’s memory', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const spoolDir = await mkdtemp(join(tmpdir(), 'perflab-spool-test-'));
    const own = await buildApp({ course, store, runner, runtime, spoolDir });
    const ids: string[] = [];
    try {
      const post = async (payload: object) => {
        const response = await own.app.inject({ method: 'POST', url: '/api/workbench/jobs', payload });
        expect(response.statusCode, response.body).toBe(202);
        ids.push(response.json<{ jobId: string }>().jobId);
      };
      // Both slots busy (the test queue runs 2 at once), so the next jobs wait.
      await post({
        kind: 'run',
        entry: 'main.py',
        files: [{ path: 'main.py', content: 'import time\ntime.sleep(30)\n' }],
      });
      await post({
        kind: 'run',
        entry: 'main.py',
        files: [{ path: 'main.py', content: 'import time\ntime.sleep(30)\n' }],
      });
      // One small waiting job first, so the measured ones add only their own files.
      await post({ kind: 'run', entry: 'main.py', files: [{ path: 'main.py', content: 'print(1)\n' }] });
      const settle = async () => {
        gc();
        await sleep(100);
        gc();
      };
      await settle();
      const before = process.memoryUsage();
      const FILE_BYTES = 5 * 1024 * 1024;
      for (let i = 0; i < 4; i++)
        await post({
          kind: 'run',
          entry: 'main.py',
          files: [
            { path: 'main.py', content: 'print(len(open("data.txt").read()))\n' },
            { path: 'data.txt', content: String(i).repeat(FILE_BYTES) },
          ],
        });
      await settle();
      const after = process.memoryUsage();
      const grownBytes = after.heapUsed + after.external - (before.heapUsed + before.external);
      expect(grownBytes).toBeLessThan(8 * 1024 * 1024);
      const waiting = ids.slice(3);
      for (const id of waiting) {
        const view = (await own.app.inject({ url: `/api/jobs/${id}` })).json<JobView>();
        expect(view.state).toBe('queued');
        expect(view.queuePosition).toBeGreaterThan(0);
        expect(statSync(join(spoolDir, id, 'content.bin')).size).toBeGreaterThan(FILE_BYTES);
      }
      // The waiting jobs run with their files once the slots free.
      for (const id of ids.slice(0, 2))
        await own.app.inject({ method: 'POST', url: `/api/jobs/${id}/cancel`, headers: CHANGE });
      const ran = await own.app.inject({ url: `/api/jobs/${waiting[0]}/events` });
      expect(parseSse(ran.body).at(-1)?.data).toMatchObject({ job: { state: 'finished' } });
      expect(
        (parseSse(ran.body).at(-1)?.data as { job: JobView }).job.output.map((c) => c.text).join(''),
      ).toBe(`${FILE_BYTES}\n`);
      expect(existsSync(join(spoolDir, waiting[0] as string))).toBe(false);
    } finally {
      await own.jobs.close(0);
      await own.app.close();
      expect(readdirSync(spoolDir)).toEqual([]);
      await rm(spoolDir, { recursive: true, force: true });
    }
  });
});

describe('bad workbench paths are refused before anything runs', () => {
  it.each([
    [['.'], '"."'],
    [['dir/'], '"dir/"'],
    [['d', 'd/e'], '"d" is both a file and the folder of "d/e"'],
    [['/etc/passwd'], '"/etc/passwd"'],
    [['../up.py'], '"../up.py"'],
    [[''], 'empty'],
    [['a\0b'], '"a\\u0000b"'],
    [['a//b'], '"a//b"'],
    [['./a.py'], '"./a.py"'],
  ])('files %j → 400 naming the path', async (paths, named) => {
    const jobsBefore = (await store.listJobs({ learnerId: 'local', limit: 1000 })).length;
    const response = await app.inject({
      method: 'POST',
      url: '/api/workbench/jobs',
      payload: {
        kind: 'run',
        entry: 'main.py',
        files: [{ path: 'main.py', content: 'print(1)\n' }, ...paths.map((path) => ({ path, content: 'x' }))],
      },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(named);
    expect((await store.listJobs({ learnerId: 'local', limit: 1000 })).length).toBe(jobsBefore);
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
    const response = await app.inject({
      method: 'POST',
      url: '/api/workbench/jobs',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toMatch(message);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a body that only mentions such words in values is fine', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/workbench/jobs',
      payload: {
        kind: 'run',
        entry: 'a.py',
        files: [{ path: 'a.py', content: 'print("__proto__", "constructor")\n' }],
      },
    });
    expect(response.statusCode, response.body).toBe(202);
    await follow(response.json<{ jobId: string }>().jobId);
  });
});
