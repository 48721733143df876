/** The Store contract for job history (run by contract.test-support.ts). */
import { expect, it } from 'vitest';
import { job, UNICODE, type FreshStore } from './contract-fixtures.test-support.js';
import type { JobRecord } from './types.js';

export function jobsContract(fresh: FreshStore): void {
  // ---------------------------------------------------------------- jobs

  it('inserts and gets jobs, with JSON documents round-tripped', async () => {
    const store = await fresh();
    expect(await store.getJob('missing')).toBeNull();
    const full = job({
      id: 'j1',
      kind: 'verify',
      state: 'finished',
      startedAt: 1_700_000_000_100,
      finishedAt: 1_700_000_002_000,
      message: 'All 3 checks passed.',
      passed: true,
      request: {
        kind: 'verify',
        files: { 'main.py': UNICODE },
        nested: [1, 2.5, null, { deep: [true, false] }],
      },
      output: [
        { stream: 'stdout', text: UNICODE, tMs: 1.25 },
        { stream: 'stderr', text: 'warn\n', tMs: 3 },
      ],
      outputTruncated: true,
      progress: ['check 1/3', 'check 2/3 ✓'],
      result: { kind: 'verify', verify: { passed: true, checks: [{ id: 'speed', ratio: 12.5 }] } },
    });
    await store.insertJob(full);
    expect(await store.getJob('j1')).toEqual(full);

    const minimal = job({ id: 'j2', passed: false, request: null });
    await store.insertJob(minimal);
    expect(await store.getJob('j2')).toEqual(minimal);
  });

  it('rejects a second job with the same id', async () => {
    const store = await fresh();
    await store.insertJob(job({ id: 'dup' }));
    await expect(store.insertJob(job({ id: 'dup', target: 'workbench' }))).rejects.toThrow();
    expect((await store.getJob('dup'))?.target).toBe('exercise:word-count');
  });

  it('updates only the fields given', async () => {
    const store = await fresh();
    const original = job({ id: 'j', output: [{ stream: 'stdout', text: 'a', tMs: 1 }] });
    await store.insertJob(original);

    await store.updateJob('j', { state: 'running', startedAt: 10 });
    expect(await store.getJob('j')).toEqual({ ...original, state: 'running', startedAt: 10 });

    const output = [
      { stream: 'stdout', text: 'a', tMs: 1 },
      { stream: 'stderr', text: 'ü', tMs: 2 },
    ];
    await store.updateJob('j', { output, progress: ['half'], message: undefined });
    expect(await store.getJob('j')).toEqual({
      ...original,
      state: 'running',
      startedAt: 10,
      output,
      progress: ['half'],
    });

    const result = { kind: 'run', run: { status: 'ok', wallMs: 12.5, exception: null } };
    await store.updateJob('j', {
      state: 'failed',
      finishedAt: 20,
      message: 'It failed.',
      passed: false,
      outputTruncated: true,
      result,
    });
    const done = await store.getJob('j');
    expect(done).toEqual({
      ...original,
      state: 'failed',
      startedAt: 10,
      finishedAt: 20,
      message: 'It failed.',
      passed: false,
      output,
      outputTruncated: true,
      progress: ['half'],
      result,
    });

    // null clears; an empty patch changes nothing.
    await store.updateJob('j', { message: null, passed: null, result: null, startedAt: null });
    await store.updateJob('j', {});
    expect(await store.getJob('j')).toEqual({
      ...done,
      message: null,
      passed: null,
      result: null,
      startedAt: null,
    });
  });

  it('rejects updating a job that does not exist', async () => {
    const store = await fresh();
    await expect(store.updateJob('ghost', { state: 'finished' })).rejects.toThrow(/ghost/);
    expect(await store.getJob('ghost')).toBeNull();
  });

  it('lists jobs newest first, by learner, with target filter and limit', async () => {
    const store = await fresh();
    await store.insertJob(job({ id: 'old', createdAt: 100, target: 'exercise:a' }));
    await store.insertJob(job({ id: 'new', createdAt: 300, target: 'exercise:a' }));
    await store.insertJob(job({ id: 'mid', createdAt: 200, target: 'workbench', kind: 'profile' }));
    await store.insertJob(job({ id: 'lesson', createdAt: 250, target: 'lesson:intro#2', kind: 'block' }));
    await store.insertJob(job({ id: 'theirs', createdAt: 400, target: 'exercise:a', learnerId: 'other' }));
    const ids = (jobs: JobRecord[]) => jobs.map((j) => j.id);

    expect(ids(await store.listJobs({ learnerId: 'local', limit: 10 }))).toEqual([
      'new',
      'lesson',
      'mid',
      'old',
    ]);
    expect(ids(await store.listJobs({ learnerId: 'local', limit: 2 }))).toEqual(['new', 'lesson']);
    expect(ids(await store.listJobs({ learnerId: 'local', target: 'exercise:a', limit: 10 }))).toEqual([
      'new',
      'old',
    ]);
    expect(ids(await store.listJobs({ learnerId: 'local', target: 'exercise:a', limit: 1 }))).toEqual([
      'new',
    ]);
    expect(ids(await store.listJobs({ learnerId: 'local', target: 'lesson:intro#2', limit: 10 }))).toEqual([
      'lesson',
    ]);
    expect(await store.listJobs({ learnerId: 'local', target: 'exercise:none', limit: 10 })).toEqual([]);
    expect(await store.listJobs({ learnerId: 'local', limit: 0 })).toEqual([]);
    expect(ids(await store.listJobs({ learnerId: 'other', limit: 10 }))).toEqual(['theirs']);
    expect(await store.listJobs({ learnerId: 'nobody', limit: 10 })).toEqual([]);
    // Whole records, JSON included.
    expect((await store.listJobs({ learnerId: 'local', target: 'workbench', limit: 1 }))[0]).toEqual(
      job({ id: 'mid', createdAt: 200, target: 'workbench', kind: 'profile' }),
    );
    await expect(store.listJobs({ learnerId: 'local', limit: -1 })).rejects.toThrow(RangeError);
  });

  it('breaks createdAt ties by id, descending', async () => {
    const store = await fresh();
    for (const id of ['b', 'c', 'a']) await store.insertJob(job({ id, createdAt: 500 }));
    const listed = await store.listJobs({ learnerId: 'local', limit: 10 });
    expect(listed.map((j) => j.id)).toEqual(['c', 'b', 'a']);
  });

  it('marks queued and running jobs interrupted at start-up, and nothing else', async () => {
    const store = await fresh();
    await store.insertJob(job({ id: 'q', state: 'queued' }));
    await store.insertJob(job({ id: 'r', state: 'running', startedAt: 5, learnerId: 'other' }));
    const settled = [
      job({ id: 'f', state: 'finished', finishedAt: 7, message: 'Done.' }),
      job({ id: 'x', state: 'failed', finishedAt: 7, message: 'Failed.' }),
      job({ id: 'c', state: 'cancelled', finishedAt: 7, message: 'Cancelled.' }),
      job({ id: 'i', state: 'interrupted', finishedAt: 7, message: 'Earlier.' }),
    ];
    for (const j of settled) await store.insertJob(j);

    expect(await store.markUnfinishedInterrupted(9_000)).toBe(2);
    for (const id of ['q', 'r']) {
      const j = await store.getJob(id);
      expect(j).toMatchObject({ state: 'interrupted', finishedAt: 9_000 });
      expect(j?.message).toEqual(expect.any(String));
    }
    expect((await store.getJob('r'))?.startedAt).toBe(5);
    for (const j of settled) expect(await store.getJob(j.id)).toEqual(j);
    expect(await store.markUnfinishedInterrupted(10_000)).toBe(0);
    expect((await store.getJob('q'))?.finishedAt).toBe(9_000);
  });
}
