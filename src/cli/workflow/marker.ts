/**
 * The learner's progress for the terminal workflow, in one small JSON file
 * (`$PERFLAB_HOME/progress.json`, default `~/.perflab/progress.json`), and the marker a
 * working directory made by `perflab start` carries.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

const progressSchema = z.object({
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
export type Progress = z.infer<typeof progressSchema>;
export type ExerciseProgress = Progress['exercises'][string];

export function progressFile(): string {
  return join(process.env.PERFLAB_HOME ?? join(homedir(), '.perflab'), 'progress.json');
}

export function readProgress(): Progress {
  const file = progressFile();
  if (!existsSync(file)) return { schema: 'perflab.progress/1', exercises: {}, lessons: {} };
  try {
    return progressSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // A damaged file is kept aside rather than lost, and progress starts afresh.
    renameSync(file, `${file}.damaged-${Date.now()}`);
    return { schema: 'perflab.progress/1', exercises: {}, lessons: {} };
  }
}

export function writeProgress(progress: Progress): void {
  const file = progressFile();
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, JSON.stringify(progress, null, 2));
  renameSync(temporary, file);
}

export function updateExercise(
  id: string,
  change: (entry: ExerciseProgress) => void,
  dir = '',
): ExerciseProgress {
  const progress = readProgress();
  const entry = progress.exercises[id] ?? {
    startedAt: new Date().toISOString(),
    dir,
    hintsShown: 0,
    explanationShown: false,
    solvedAt: null,
    attempts: 0,
  };
  change(entry);
  progress.exercises[id] = entry;
  writeProgress(progress);
  return entry;
}

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
