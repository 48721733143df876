/**
 * Jobs through the HTTP API: run, profile, verify, cancel, lesson examples, the workbench,
 * client-made ids and graceful shutdown (real Python in the real sandbox).
 */
import { describe, expect, it } from 'vitest';
import type { ExerciseView, JobView, ProfileResultView } from '../core/api.js';
import type { VerifyReport } from '../core/verify-report.js';
import { runtime } from '../test-support/sandboxes.js';
import { buildApp } from './app.js';
import { CHANGE, WORDS_FIXED, app, course, runner, store, useTestApp } from './server.test-support.js';
import { follow, parseSse, startJob } from './requests.test-support.js';

useTestApp();

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
