/**
 * The exercise, lesson or files a request names, or the HTTP error that says why not.
 */
import type { Exercise } from '../core/exercise.js';
import { lookupExercise } from '../core/exercise-workspace.js';
import type { Lesson } from '../course/load.js';
import { HttpError, notFound, type ServerContext } from './context.js';

/** The exercise with exactly this id (a URL names it in full: no prefix matching, unlike the CLI). */
export function findExercise(context: ServerContext, id: string): Exercise {
  const found = lookupExercise(context.course.exercises, id, { prefix: false });
  if (!found.exercise) throw notFound(`exercise "${id}"`);
  return found.exercise;
}

export function findLessonById(context: ServerContext, id: string): Lesson {
  const lesson = context.course.lessons.find((l) => l.id === id);
  if (!lesson) throw notFound(`lesson "${id}"`);
  return lesson;
}

/** Only the files the exercise lets the learner edit are kept; anything else is a client bug. */
export function editableOnly(exercise: Exercise, files: Record<string, string>): Record<string, string> {
  const unknown = Object.keys(files).filter((path) => !exercise.meta.edit.includes(path));
  if (unknown.length > 0)
    throw new HttpError(
      400,
      'not-editable',
      `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not editable in this exercise (editable: ${exercise.meta.edit.join(', ')})`,
    );
  return files;
}
