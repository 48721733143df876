/**
 * A Store decorator that keeps each learner's progress in memory: progress is read on almost
 * every page (course home, lessons, exercises) and written rarely, so reads skip the database.
 * Every write through this store drops the learner's cached copy, and a commit by another
 * process (a terminal command writing progress while `perflab serve` runs) drops the whole
 * cache, seen through `store.externalChanges`. That check costs about as much as the rest of a
 * cached read (SQLite takes a read lock on the WAL index), so it runs at most once per
 * `externalCheckIntervalMs`: another process's write shows within that interval. A store that
 * cannot tell (no `externalChanges`) must not be shared by several processes behind this cache.
 */
import type { Progress } from '../core/api.js';
import type { Store } from './types.js';

export interface ProgressCacheOptions {
  /** How stale another process's write may look, in ms (default 250; 0 checks on every read). */
  externalCheckIntervalMs?: number;
}

export function withProgressCache(store: Store, options: ProgressCacheOptions = {}): Store {
  const checkIntervalMs = options.externalCheckIntervalMs ?? 250;
  const cache = new Map<string, Promise<Progress>>();
  let seenChanges = store.externalChanges?.();
  let checkedAtMs = performance.now();
  const invalidating =
    <A extends [string, ...unknown[]]>(write: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      cache.delete(args[0]);
      try {
        await write(...args);
      } finally {
        // A read that started during the write may have cached the old state.
        cache.delete(args[0]);
      }
    };
  return {
    ...bindAll(store),
    getProgress(learnerId) {
      const nowMs = performance.now();
      if (nowMs - checkedAtMs >= checkIntervalMs) {
        checkedAtMs = nowMs;
        const changes = store.externalChanges?.();
        if (changes !== seenChanges) {
          seenChanges = changes;
          cache.clear();
        }
      }
      let cached = cache.get(learnerId);
      if (!cached) {
        // Frozen, not copied per read: the hottest reads share one object (structuredClone per
        // read was about 6 % of the server's CPU under load), and a caller that tries to change
        // it gets a TypeError instead of silently corrupting the next reader's view.
        cached = store.getProgress(learnerId).then(deepFreeze);
        cache.set(learnerId, cached);
        cached.catch(() => cache.delete(learnerId));
      }
      return cached;
    },
    markLessonRead: invalidating(store.markLessonRead.bind(store)),
    advanceExercise: invalidating(store.advanceExercise.bind(store)),
    setHintsShown: invalidating(store.setHintsShown.bind(store)),
    markExplanationShown: invalidating(store.markExplanationShown.bind(store)),
  };
}

function bindAll(store: Store): Store {
  return {
    getProgress: store.getProgress.bind(store),
    markLessonRead: store.markLessonRead.bind(store),
    advanceExercise: store.advanceExercise.bind(store),
    setHintsShown: store.setHintsShown.bind(store),
    markExplanationShown: store.markExplanationShown.bind(store),
    getSavedFiles: store.getSavedFiles.bind(store),
    saveFiles: store.saveFiles.bind(store),
    deleteSavedFiles: store.deleteSavedFiles.bind(store),
    insertJob: store.insertJob.bind(store),
    updateJob: store.updateJob.bind(store),
    getJob: store.getJob.bind(store),
    listJobs: store.listJobs.bind(store),
    markUnfinishedInterrupted: store.markUnfinishedInterrupted.bind(store),
    getDrillCards: store.getDrillCards.bind(store),
    getDrillCard: store.getDrillCard.bind(store),
    recordDrillReview: store.recordDrillReview.bind(store),
    undoLastDrillReview: store.undoLastDrillReview.bind(store),
    listDrillReviews: store.listDrillReviews.bind(store),
    getDrillSettings: store.getDrillSettings.bind(store),
    setDrillSettings: store.setDrillSettings.bind(store),
    insertDrillSession: store.insertDrillSession.bind(store),
    updateDrillSession: store.updateDrillSession.bind(store),
    getDrillSession: store.getDrillSession.bind(store),
    listDrillSessions: store.listDrillSessions.bind(store),
    ...(store.externalChanges ? { externalChanges: store.externalChanges.bind(store) } : {}),
    close: store.close.bind(store),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
