/**
 * The exercise, lesson or files a request names, or the HTTP error that says why not; and the
 * schema every route under an exercise or lesson id shares.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idParam } from '../core/api.js';
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

/** The exercise a request's `:id` names, and the learner asking. */
export function exerciseRequest(
  context: ServerContext,
  request: FastifyRequest & { params: { id: string } },
): { exercise: Exercise; learnerId: string } {
  return { exercise: findExercise(context, request.params.id), learnerId: context.learnerOf(request) };
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

const idParams = z.object({ id: idParam });

/** The schema of a route under /exercises/:id or /lessons/:id: its summary, the id, `extra` (body, query), responses. */
export function idRouteSchema<R extends Record<number, z.ZodType>, E extends object = object>(
  summary: string,
  response: R,
  extra?: E,
): { summary: string; params: typeof idParams; response: R } & E {
  return { summary, params: idParams, response, ...(extra as E) };
}
