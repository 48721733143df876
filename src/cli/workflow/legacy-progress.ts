/**
 * The terminal's old progress file ($PERFLAB_HOME/progress.json, schema perflab.progress/1),
 * imported into the store once and then renamed to progress.json.imported, so progress made
 * before the terminal used the store is kept.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Store } from '../../store/index.js';
import { perflabHome } from './data-dir.js';

const legacyProgressSchema = z.object({
  schema: z.literal('perflab.progress/1'),
  exercises: z.record(
    z.string(),
    z.object({
      startedAt: z.string(),
      dir: z.string(),
      hintsShown: z.number().int().min(0),
      explanationShown: z.boolean(),
      solvedAt: z.string().nullable(),
      attempts: z.number().int().min(0),
    }),
  ),
  lessons: z.record(z.string(), z.object({ openedAt: z.string() })),
});

export function legacyProgressFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(perflabHome(env), 'progress.json');
}

/** ISO time → ms since the epoch; an unreadable one counts as now. */
function msOf(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Date.now() : ms;
}

/**
 * Imports `file` into `store` for `learnerId` and renames it; does nothing without the file.
 * The store's writes only move progress forward, so importing into a store that already has
 * progress (or two commands importing at once) loses nothing. A damaged file is kept aside as
 * progress.json.damaged-<ms>, as the file-based progress did. Returns whether it imported.
 */
export async function importLegacyProgress(
  store: Store,
  learnerId: string,
  file = legacyProgressFile(),
): Promise<boolean> {
  if (!existsSync(file)) return false;
  let legacy: z.infer<typeof legacyProgressSchema>;
  try {
    legacy = legacyProgressSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    renameSync(file, `${file}.damaged-${Date.now()}`);
    return false;
  }
  for (const [exerciseId, entry] of Object.entries(legacy.exercises)) {
    await store.advanceExercise(learnerId, exerciseId, 'started', msOf(entry.startedAt));
    if (entry.attempts > 0) await store.advanceExercise(learnerId, exerciseId, 'attempted', Date.now());
    if (entry.solvedAt !== null)
      await store.advanceExercise(learnerId, exerciseId, 'solved', msOf(entry.solvedAt));
    await store.setHintsShown(learnerId, exerciseId, entry.hintsShown);
    if (entry.explanationShown) await store.markExplanationShown(learnerId, exerciseId);
  }
  for (const [lessonId, entry] of Object.entries(legacy.lessons))
    await store.markLessonRead(learnerId, lessonId, msOf(entry.openedAt));
  try {
    renameSync(file, `${file}.imported`);
  } catch (error) {
    // Another command imported and renamed it first.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return true;
}
