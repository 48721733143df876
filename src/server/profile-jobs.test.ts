/**
 * Workbench profile jobs with the profilers that see a whole concurrent program: py-spy's
 * samples, VizTracer's timeline and memray, run on real Python in the real sandbox and stored
 * in real SQLite; their downloads, and who may fetch them.
 */
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { JobView, ProfileResultView } from '../core/api.js';
import { runtime } from '../test-support/sandboxes.js';
import { buildApp } from './app.js';
import { parseSse } from './requests.test-support.js';
import { app, course, runner, store, useTestApp } from './server.test-support.js';

// Several learners: who asks comes from a header (the seam accounts will replace).
const learnerOf = (request: FastifyRequest) => String(request.headers['x-test-learner'] ?? 'local');
useTestApp({ learnerOf });

const THREADED = `import threading


def crunch(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


workers = [threading.Thread(target=crunch, args=(1_500_000,), name=f"cruncher-{i}") for i in range(2)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print("done")
`;

const ALLOCATES = `def build():
    # About 8 MB alive at once: the peak memray reports. A loop, not a comprehension: before
    # Python 3.12 a comprehension is a frame of its own (<listcomp>).
    blocks = []
    for _ in range(100):
        blocks.append(bytearray(80_000))
    return blocks


blocks = build()
print(len(blocks))
`;

function profileJob(profiler: string, content: string, learner = 'alice') {
  return app.inject({
    method: 'POST',
    url: '/api/workbench/jobs',
    headers: { 'x-test-learner': learner },
    payload: { kind: 'profile', profiler, entry: 'main.py', files: [{ path: 'main.py', content }] },
  });
}

async function profiled(
  profiler: string,
  content: string,
): Promise<{ id: string; job: JobView; result: ProfileResultView }> {
  const started = await profileJob(profiler, content);
  expect(started.statusCode, started.body).toBe(202);
  const id = started.json<{ jobId: string }>().jobId;
  // Followed to its end as the browser does, as alice (the job is hers).
  const response = await app.inject({
    url: `/api/jobs/${id}/events`,
    headers: { 'x-test-learner': 'alice' },
  });
  const end = parseSse(response.body).at(-1);
  expect(end?.event).toBe('end');
  const job = (end?.data as { job: JobView }).job;
  expect(job.state, job.message ?? '').toBe('finished');
  return { id, job, result: job.result as unknown as ProfileResultView };
}

const download = (id: string, name: string, learner = 'alice') =>
  app.inject({ url: `/api/jobs/${id}/artifacts/${name}`, headers: { 'x-test-learner': learner } });

describe('profile jobs with a concurrency profiler', () => {
  it('sample: py-spy sees the hot function in both worker threads; trace and speedscope download', async () => {
    const { id, job, result } = await profiled('sample', THREADED);
    expect(result.profiler).toBe('sample');
    expect(result.profile).toBeNull();
    const sampled = result.sampled;
    expect(sampled?.sampleCount).toBeGreaterThan(0);
    const crunch = sampled?.functions.find((f) => f.name === 'crunch');
    expect(crunch).toBeDefined();
    const crunching = sampled?.threads.filter((t) =>
      t.functions.some((f) => f.functionId === crunch?.id && f.selfSamples > 0),
    );
    expect(crunching?.length).toBeGreaterThanOrEqual(2);
    expect(sampled?.hot[0]?.functionId).toBe(crunch?.id);
    expect(result.timeline?.lanes.length).toBeGreaterThanOrEqual(2);
    expect(job.message).toContain('crunch');
    expect(result.artifacts).toEqual(['trace.json', 'sampled.speedscope.json']);
    const trace = await download(id, 'trace.json');
    expect(trace.statusCode).toBe(200);
    expect(trace.headers['content-disposition']).toBe(
      `attachment; filename="perflab-${id.slice(0, 8)}.trace.json"`,
    );
    expect(trace.json<{ traceEvents: unknown[] }>().traceEvents.length).toBeGreaterThan(0);
    const speedscope = await download(id, 'sampled.speedscope.json');
    expect(speedscope.json<{ $schema: string }>().$schema).toContain('speedscope');
    // The view is small: the raw samples stay on the server.
    expect(JSON.stringify(job)).not.toContain('artifactFiles');
    expect((await download(id, 'memray.bin')).statusCode).toBe(404);
  });

  it('timeline: VizTracer lanes for the threads, and the trace for Perfetto', async () => {
    const { id, result } = await profiled('timeline', THREADED);
    expect(result.profiler).toBe('timeline');
    const timeline = result.timeline;
    expect(timeline?.source).toBe('viztracer');
    expect(timeline?.lanes.filter((l) => l.kind === 'thread').length).toBeGreaterThanOrEqual(3);
    expect(timeline?.spans.some((s) => s.label.includes('crunch'))).toBe(true);
    const trace = await download(id, 'trace.json');
    expect(trace.statusCode).toBe(200);
    expect(trace.json<{ traceEvents: unknown[] }>().traceEvents.length).toBeGreaterThan(0);
  });

  it('memray: the peak tree, and memray.bin downloads for its learner only', async () => {
    const { id, job, result } = await profiled('memray', ALLOCATES);
    expect(result.profiler).toBe('memray');
    expect(result.memray?.peakBytes).toBeGreaterThan(6_000_000);
    expect(result.memray?.peakTree.children.length).toBeGreaterThan(0);
    expect(JSON.stringify(job)).not.toContain('captureBase64');
    expect(job.message).toMatch(/peaked at .*build/);
    const bin = await download(id, 'memray.bin');
    expect(bin.statusCode).toBe(200);
    expect(bin.headers['content-type']).toBe('application/octet-stream');
    expect(bin.headers['content-disposition']).toBe(
      `attachment; filename="perflab-${id.slice(0, 8)}.memray.bin"`,
    );
    expect(bin.rawPayload.length).toBeGreaterThan(100);
    // After a restart (a new server over the same store) the file is still there.
    const restarted = await buildApp({ course, store, runner, runtime, learnerOf });
    try {
      const again = await restarted.app.inject({
        url: `/api/jobs/${id}/artifacts/memray.bin`,
        headers: { 'x-test-learner': 'alice' },
      });
      expect(again.rawPayload).toEqual(bin.rawPayload);
    } finally {
      await restarted.jobs.close(0);
      await restarted.app.close();
    }
    // Another learner: the same 404 as an unknown job.
    expect((await download(id, 'memray.bin', 'bob')).statusCode).toBe(404);
    expect(
      (await app.inject({ url: `/api/jobs/${id}`, headers: { 'x-test-learner': 'bob' } })).statusCode,
    ).toBe(404);
  });

  it('refuses an unknown profiler (400) and a cross-origin start (403)', async () => {
    const unknown = await profileJob('perf', THREADED);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('profiler');
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/workbench/jobs',
      headers: { origin: 'http://evil.example' },
      payload: {
        kind: 'profile',
        profiler: 'sample',
        entry: 'main.py',
        files: [{ path: 'main.py', content: THREADED }],
      },
    });
    expect(foreign.statusCode).toBe(403);
  });
});
