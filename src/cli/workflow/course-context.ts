import { join } from 'node:path';
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

export function findExercise(course: Course, query: string) {
  const exact = course.exercises.find((e) => e.meta.id === query);
  if (exact) return exact;
  const prefixed = course.exercises.filter((e) => e.meta.id.startsWith(query));
  if (prefixed.length === 1) return prefixed[0];
  const names = course.exercises.map((e) => e.meta.id).join(', ');
  throw new UsageError(
    prefixed.length > 1
      ? `"${query}" matches several exercises: ${prefixed.map((e) => e.meta.id).join(', ')}`
      : `no exercise "${query}"; the exercises are: ${names}`,
  );
}
