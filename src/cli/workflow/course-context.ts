import { join } from 'node:path';
import type { Exercise } from '../../core/exercise.js';
import { lookupExercise } from '../../core/exercise-workspace.js';
import { loadCourse, type Course } from '../../course/load.js';
import { ExerciseError } from '../../exercises/load.js';
import { PROJECT_ROOT } from '../../pyenv/paths.js';
import { UsageError } from '../errors.js';

export const BUILT_IN_COURSE = join(PROJECT_ROOT, 'course');

/** The course for the terminal workflow: `--course DIR`, or the built-in one. */
export async function openCourse(dir: string | undefined): Promise<Course> {
  try {
    return await loadCourse(dir ?? BUILT_IN_COURSE);
  } catch (error) {
    if (error instanceof ExerciseError)
      throw new UsageError(`the course is not valid:\n${error.problems.join('\n')}`);
    throw error;
  }
}

/** The exercise an id, or an unambiguous start of one, names (the terminal accepts a prefix). */
export function findExercise(course: Course, query: string): Exercise {
  const { exercise, matches } = lookupExercise(course.exercises, query, { prefix: true });
  if (exercise) return exercise;
  const names = course.exercises.map((e) => e.meta.id).join(', ');
  throw new UsageError(
    matches.length > 1
      ? `"${query}" matches several exercises: ${matches.map((e) => e.meta.id).join(', ')}`
      : `no exercise "${query}"; the exercises are: ${names}`,
  );
}
