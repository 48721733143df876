/**
 * The contract every Store keeps. sqlite.test.ts runs it for ':memory:' and a file; a
 * PostgreSQL store would run it too. `open` must return a store over empty data each call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRecord, Store } from './types.js';

export interface StoreContractOptions {
  /**
   * For stores whose data outlives close(): opens the data of the most recent open() again.
   * Without it the "survives close and reopen" test is not defined.
   */
  reopen?: () => Promise<Store>;
}

function job(overrides: Partial<JobRecord> & Pick<JobRecord, 'id'>): JobRecord {
  return {
    learnerId: 'local',
    kind: 'run',
    target: 'exercise:word-count',
    state: 'queued',
    createdAt: 1_700_000_000_000,
    startedAt: null,
    finishedAt: null,
    message: null,
    passed: null,
    request: { kind: 'run', files: { 'main.py': 'print(1)\n' } },
    output: [],
    outputTruncated: false,
    progress: [],
    result: null,
    ...overrides,
  };
}

const UNICODE = 'naïve café — 日本語 — 🐍🔥 — e\u0301 — "quotes" \\ backslash\n\ttab\u0000nul\u2028';

export function describeStoreContract(
  name: string,
  open: () => Promise<Store>,
  options: StoreContractOptions = {},
): void {
  describe(`store contract: ${name}`, () => {
    const opened: Store[] = [];
    const fresh = async () => {
      const store = await open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      // close() is idempotent, so stores a test already closed are fine here.
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    // ---------------------------------------------------------------- progress

    it('starts with no progress', async () => {
      const store = await fresh();
      expect(await store.getProgress('local')).toEqual({ lessons: {}, exercises: {} });
    });

    it('marks lessons read and keeps the first read time', async () => {
      const store = await fresh();
      await store.markLessonRead('local', 'intro', 1000);
      await store.markLessonRead('local', 'intro', 5000);
      await store.markLessonRead('local', 'timing', 2000);
      expect((await store.getProgress('local')).lessons).toEqual({
        intro: { readAt: 1000 },
        timing: { readAt: 2000 },
      });
    });

    it('moves exercise status forward only, and sets solvedAt once', async () => {
      const store = await fresh();
      const status = async () => (await store.getProgress('local')).exercises['ex'];

      await store.advanceExercise('local', 'ex', 'started', 100);
      expect(await status()).toEqual({
        status: 'started',
        hintsShown: 0,
        explanationShown: false,
        solvedAt: null,
      });
      await store.advanceExercise('local', 'ex', 'attempted', 200);
      expect((await status())?.status).toBe('attempted');
      await store.advanceExercise('local', 'ex', 'started', 300);
      expect((await status())?.status).toBe('attempted');
      await store.advanceExercise('local', 'ex', 'solved', 400);
      expect(await status()).toEqual({
        status: 'solved',
        hintsShown: 0,
        explanationShown: false,
        solvedAt: 400,
      });
      await store.advanceExercise('local', 'ex', 'attempted', 500);
      await store.advanceExercise('local', 'ex', 'started', 600);
      await store.advanceExercise('local', 'ex', 'solved', 700);
      expect(await status()).toEqual({
        status: 'solved',
        hintsShown: 0,
        explanationShown: false,
        solvedAt: 400,
      });
    });

    it('can jump straight to solved, and rejects unknown statuses', async () => {
      const store = await fresh();
      await store.advanceExercise('local', 'ex', 'solved', 42);
      expect((await store.getProgress('local')).exercises['ex']).toMatchObject({
        status: 'solved',
        solvedAt: 42,
      });
      await expect(
        store.advanceExercise('local', 'other', 'not-started' as unknown as 'started', 1),
      ).rejects.toThrow(/status/);
      expect((await store.getProgress('local')).exercises['other']).toBeUndefined();
    });

    it('never decreases hints shown, and keeps status when hints come first', async () => {
      const store = await fresh();
      const entry = async () => (await store.getProgress('local')).exercises['ex'];
      await store.setHintsShown('local', 'ex', 2);
      expect(await entry()).toEqual({
        status: 'not-started',
        hintsShown: 2,
        explanationShown: false,
        solvedAt: null,
      });
      await store.setHintsShown('local', 'ex', 1);
      expect((await entry())?.hintsShown).toBe(2);
      await store.setHintsShown('local', 'ex', 0);
      expect((await entry())?.hintsShown).toBe(2);
      await store.setHintsShown('local', 'ex', 3);
      expect((await entry())?.hintsShown).toBe(3);
      await store.advanceExercise('local', 'ex', 'started', 10);
      expect(await entry()).toEqual({
        status: 'started',
        hintsShown: 3,
        explanationShown: false,
        solvedAt: null,
      });
      await expect(store.setHintsShown('local', 'ex', -1)).rejects.toThrow(RangeError);
      await expect(store.setHintsShown('local', 'ex', 1.5)).rejects.toThrow(RangeError);
      await expect(store.setHintsShown('local', 'ex', Number.NaN)).rejects.toThrow(RangeError);
      expect((await entry())?.hintsShown).toBe(3);
    });

    it('marks the explanation shown without touching status or hints', async () => {
      const store = await fresh();
      await store.markExplanationShown('local', 'fresh');
      expect((await store.getProgress('local')).exercises['fresh']).toEqual({
        status: 'not-started',
        hintsShown: 0,
        explanationShown: true,
        solvedAt: null,
      });
      await store.advanceExercise('local', 'ex', 'attempted', 5);
      await store.setHintsShown('local', 'ex', 2);
      await store.markExplanationShown('local', 'ex');
      await store.markExplanationShown('local', 'ex');
      expect((await store.getProgress('local')).exercises['ex']).toEqual({
        status: 'attempted',
        hintsShown: 2,
        explanationShown: true,
        solvedAt: null,
      });
    });

    it("keeps each learner's progress apart", async () => {
      const store = await fresh();
      await store.markLessonRead('alice', 'intro', 1);
      await store.advanceExercise('alice', 'ex', 'solved', 2);
      await store.setHintsShown('bob', 'ex', 1);
      expect(await store.getProgress('alice')).toEqual({
        lessons: { intro: { readAt: 1 } },
        exercises: { ex: { status: 'solved', hintsShown: 0, explanationShown: false, solvedAt: 2 } },
      });
      expect(await store.getProgress('bob')).toEqual({
        lessons: {},
        exercises: { ex: { status: 'not-started', hintsShown: 1, explanationShown: false, solvedAt: null } },
      });
      expect(await store.getProgress('local')).toEqual({ lessons: {}, exercises: {} });
    });

    it("cannot be changed through a read's result", async () => {
      const store = await fresh();
      await store.markLessonRead('local', 'intro', 1);
      const first = await store.getProgress('local');
      // A store may hand out copies or frozen objects; either way the next read is unchanged.
      try {
        first.lessons['intro'] = { readAt: 99 };
        first.lessons['other'] = { readAt: 5 };
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
      }
      expect(await store.getProgress('local')).toEqual({ lessons: { intro: { readAt: 1 } }, exercises: {} });
    });

    // ---------------------------------------------------------------- saved files

    it('round-trips saved files exactly, unicode and large files included', async () => {
      const store = await fresh();
      expect(await store.getSavedFiles('local', 'ex')).toBeNull();
      const files = {
        'main.py': 'def f():\n    return 1\n',
        'pkg/ünïcode_名前.py': UNICODE,
        'empty.py': '',
        'big.py': 'x = 1  # ' + 'é'.repeat(256 * 1024) + '\n',
        'trailing-space.txt': '  \r\n  ',
      };
      await store.saveFiles('local', 'ex', files, 1234);
      const saved = await store.getSavedFiles('local', 'ex');
      expect(saved).toEqual({ files, savedAt: 1234 });
      expect(saved?.files['pkg/ünïcode_名前.py']).toBe(UNICODE);
      expect(Object.keys(saved?.files ?? {})).toEqual(Object.keys(files));
    });

    it('replaces the whole set on save', async () => {
      const store = await fresh();
      await store.saveFiles('local', 'ex', { 'a.py': 'a', 'b.py': 'b' }, 1);
      await store.saveFiles('local', 'ex', { 'b.py': 'B', 'c.py': 'c' }, 2);
      expect(await store.getSavedFiles('local', 'ex')).toEqual({
        files: { 'b.py': 'B', 'c.py': 'c' },
        savedAt: 2,
      });
      await store.saveFiles('local', 'ex', {}, 3);
      expect(await store.getSavedFiles('local', 'ex')).toEqual({ files: {}, savedAt: 3 });
    });

    it('keeps saved files per learner and exercise; reset deletes only that set and keeps progress', async () => {
      const store = await fresh();
      await store.saveFiles('local', 'one', { 'main.py': 'one' }, 1);
      await store.saveFiles('local', 'two', { 'main.py': 'two' }, 2);
      await store.saveFiles('other', 'one', { 'main.py': 'theirs' }, 3);
      await store.advanceExercise('local', 'one', 'attempted', 4);
      expect((await store.getSavedFiles('local', 'one'))?.files).toEqual({ 'main.py': 'one' });
      expect((await store.getSavedFiles('other', 'one'))?.files).toEqual({ 'main.py': 'theirs' });

      await store.deleteSavedFiles('local', 'one');
      expect(await store.getSavedFiles('local', 'one')).toBeNull();
      expect(await store.getSavedFiles('local', 'two')).toEqual({ files: { 'main.py': 'two' }, savedAt: 2 });
      expect(await store.getSavedFiles('other', 'one')).toEqual({
        files: { 'main.py': 'theirs' },
        savedAt: 3,
      });
      expect((await store.getProgress('local')).exercises['one']?.status).toBe('attempted');
      await store.deleteSavedFiles('local', 'never-saved');

      await store.saveFiles('local', 'one', { 'main.py': 'again' }, 5);
      expect(await store.getSavedFiles('local', 'one')).toEqual({
        files: { 'main.py': 'again' },
        savedAt: 5,
      });
    });

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

    it('close is idempotent and later calls reject', async () => {
      const store = await fresh();
      await store.close();
      await store.close();
      await expect(store.getProgress('local')).rejects.toThrow();
    });

    if (options.reopen) {
      const reopen = options.reopen;
      it('keeps everything across close and reopen', async () => {
        const store = await fresh();
        await store.markLessonRead('local', 'intro', 1);
        await store.advanceExercise('local', 'ex', 'solved', 2);
        await store.setHintsShown('local', 'ex', 2);
        await store.markExplanationShown('local', 'ex');
        await store.saveFiles('local', 'ex', { 'main.py': UNICODE }, 3);
        const stored = job({ id: 'j', state: 'finished', result: { ok: true }, output: [{ text: UNICODE }] });
        await store.insertJob(stored);
        const progress = await store.getProgress('local');
        await store.close();

        const again = await reopen();
        opened.push(again);
        expect(await again.getProgress('local')).toEqual(progress);
        expect(await again.getSavedFiles('local', 'ex')).toEqual({
          files: { 'main.py': UNICODE },
          savedAt: 3,
        });
        expect(await again.getJob('j')).toEqual(stored);
        expect(await again.listJobs({ learnerId: 'local', limit: 5 })).toEqual([stored]);
      });
    }
  });
}
