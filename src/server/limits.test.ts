/**
 * What one learner, and everyone together, may hold: unfinished jobs, event streams, queued
 * files on disk, and workbench paths refused before anything runs.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../core/api.js';
import { runtime } from '../test-support/sandboxes.js';
import { buildApp } from './app.js';
import type { JobManager } from './jobs.js';
import { CHANGE, app, course, runner, store, useTestApp } from './server.test-support.js';
import { parseSse, sleep } from './requests.test-support.js';

useTestApp();

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
