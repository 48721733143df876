/** The Store contract for a learner's progress and saved code (run by contract.test-support.ts). */
import { expect, it } from 'vitest';
import { entry, UNICODE, type FreshStore } from './contract-fixtures.test-support.js';

export function progressContract(fresh: FreshStore): void {
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
    expect(await status()).toEqual(entry({ status: 'started' }));
    await store.advanceExercise('local', 'ex', 'attempted', 200);
    expect((await status())?.status).toBe('attempted');
    await store.advanceExercise('local', 'ex', 'started', 300);
    expect((await status())?.status).toBe('attempted');
    await store.advanceExercise('local', 'ex', 'solved', 400);
    expect(await status()).toEqual(entry({ status: 'solved', solvedAt: 400 }));
    await store.advanceExercise('local', 'ex', 'attempted', 500);
    await store.advanceExercise('local', 'ex', 'started', 600);
    await store.advanceExercise('local', 'ex', 'solved', 700);
    expect(await status()).toEqual(entry({ status: 'solved', solvedAt: 400 }));
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
    const current = async () => (await store.getProgress('local')).exercises['ex'];
    await store.setHintsShown('local', 'ex', 2);
    expect(await current()).toEqual(entry({ hintsShown: 2 }));
    await store.setHintsShown('local', 'ex', 1);
    expect((await current())?.hintsShown).toBe(2);
    await store.setHintsShown('local', 'ex', 0);
    expect((await current())?.hintsShown).toBe(2);
    await store.setHintsShown('local', 'ex', 3);
    expect((await current())?.hintsShown).toBe(3);
    await store.advanceExercise('local', 'ex', 'started', 10);
    expect(await current()).toEqual(entry({ status: 'started', hintsShown: 3 }));
    await expect(store.setHintsShown('local', 'ex', -1)).rejects.toThrow(RangeError);
    await expect(store.setHintsShown('local', 'ex', 1.5)).rejects.toThrow(RangeError);
    await expect(store.setHintsShown('local', 'ex', Number.NaN)).rejects.toThrow(RangeError);
    expect((await current())?.hintsShown).toBe(3);
  });

  it('marks the explanation shown without touching status or hints', async () => {
    const store = await fresh();
    await store.markExplanationShown('local', 'fresh');
    expect((await store.getProgress('local')).exercises['fresh']).toEqual(entry({ explanationShown: true }));
    await store.advanceExercise('local', 'ex', 'attempted', 5);
    await store.setHintsShown('local', 'ex', 2);
    await store.markExplanationShown('local', 'ex');
    await store.markExplanationShown('local', 'ex');
    expect((await store.getProgress('local')).exercises['ex']).toEqual(
      entry({ status: 'attempted', hintsShown: 2, explanationShown: true }),
    );
  });

  it("keeps each learner's progress apart", async () => {
    const store = await fresh();
    await store.markLessonRead('alice', 'intro', 1);
    await store.advanceExercise('alice', 'ex', 'solved', 2);
    await store.setHintsShown('bob', 'ex', 1);
    expect(await store.getProgress('alice')).toEqual({
      lessons: { intro: { readAt: 1 } },
      exercises: { ex: entry({ status: 'solved', solvedAt: 2 }) },
    });
    expect(await store.getProgress('bob')).toEqual({
      lessons: {},
      exercises: { ex: entry({ hintsShown: 1 }) },
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
}

export function savedFilesContract(fresh: FreshStore): void {
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
}
