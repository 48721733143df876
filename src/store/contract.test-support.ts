/**
 * The contract every Store keeps. sqlite.test.ts runs it for ':memory:' and a file; a
 * PostgreSQL store would run it too. `open` must return a store over empty data each call.
 * Its parts: progress and saved code (contract-learner), job history (contract-jobs), interview
 * drills (contract-drills).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { job, UNICODE } from './contract-fixtures.test-support.js';
import { drillsContract } from './contract-drills.test-support.js';
import { jobsContract } from './contract-jobs.test-support.js';
import { progressContract, savedFilesContract } from './contract-learner.test-support.js';
import { gradeDrillCard } from '../core/drills/scheduler.js';
import type { Store } from './types.js';

export interface StoreContractOptions {
  /**
   * For stores whose data outlives close(): opens the data of the most recent open() again.
   * Without it the "survives close and reopen" test is not defined.
   */
  reopen?: () => Promise<Store>;
}

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

    progressContract(fresh);
    savedFilesContract(fresh);
    jobsContract(fresh);
    drillsContract(fresh);

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
        const { card } = gradeDrillCard(undefined, 3, 4, { targetRetention: 0.9 });
        await store.recordDrillReview({
          id: 'r',
          learnerId: 'local',
          drillId: 'q',
          source: 'mock',
          sessionId: 's',
          log: gradeDrillCard(undefined, 3, 4, { targetRetention: 0.9 }).log,
          cardBefore: null,
          cardAfter: card,
          typedAnswer: UNICODE,
          durationMs: null,
          reviewedAt: 4,
        });
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
        expect(await again.getDrillCard('local', 'q')).toEqual({ drillId: 'q', card, updatedAt: 4 });
        expect((await again.listDrillReviews('local', { limit: 5 }))[0]?.typedAnswer).toBe(UNICODE);
      });
    }
  });
}
