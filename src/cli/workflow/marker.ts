/**
 * The marker a working directory made by `perflab start` carries: it tells `perflab hint`,
 * `explain` and `verify` which exercise (of which course) this folder is. Progress itself is in
 * the store (learner-store.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

export const MARKER_FILE = '.perflab-exercise.json';
const markerSchema = z.object({
  schema: z.literal('perflab.workdir/1'),
  exercise: z.string(),
  courseDir: z.string(),
});
export type WorkdirMarker = z.infer<typeof markerSchema>;

/** The exercise a working directory belongs to: this folder or one of its parents. */
export function findMarker(start = process.cwd()): { dir: string; marker: WorkdirMarker } | null {
  let dir = resolve(start);
  for (;;) {
    const file = join(dir, MARKER_FILE);
    if (existsSync(file)) {
      try {
        return { dir, marker: markerSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) };
      } catch {
        return null;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function writeMarker(dir: string, marker: WorkdirMarker): void {
  writeFileSync(join(dir, MARKER_FILE), JSON.stringify(marker, null, 2) + '\n');
}
