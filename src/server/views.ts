/**
 * Course content as the browser sees it: the index with progress, one lesson in segments, one
 * exercise with the learner's saved files over the starter. Hidden material (tests, the
 * solution, unrevealed hints, the explanation) never appears in these views.
 */
import type {
  CourseIndex,
  ExerciseProgress,
  ExerciseSummary,
  ExerciseView,
  LessonView,
  Progress,
  WorkspaceFile,
} from '../core/api.js';
import type { Exercise, FileTree } from '../core/exercise.js';
import { exerciseEntry } from '../core/exercise-workspace.js';
import type { Course, Lesson } from '../course/load.js';
import { lessonSegments } from '../course/segments.js';

export const NOT_STARTED: ExerciseProgress = {
  status: 'not-started',
  hintsShown: 0,
  explanationShown: false,
  solvedAt: null,
};

function exerciseSummary(exercise: Exercise): ExerciseSummary {
  const { id, title, kind, difficulty, topics } = exercise.meta;
  return { id, title, kind, difficulty, topics };
}

export function courseIndex(course: Course, progress: Progress): CourseIndex {
  const exercises = new Map(course.exercises.map((e) => [e.meta.id, e]));
  return {
    title: course.file.title,
    summary: course.file.summary.trim(),
    modules: course.modules.map((module) => ({
      id: module.id,
      title: module.title,
      summary: module.summary.trim(),
      lessons: course.lessons
        .filter((l) => l.moduleId === module.id)
        .map(({ id, title, difficulty, minutes, topics }) => ({ id, title, difficulty, minutes, topics })),
      exercises: module.exercises
        .map((id) => exercises.get(id))
        .filter((e): e is Exercise => e !== undefined)
        .map(exerciseSummary),
    })),
    progress,
  };
}

/** The course does not change while the server runs, so each lesson is split once. */
const segmentsOf = new WeakMap<Lesson, ReturnType<typeof lessonSegments>>();

export function lessonView(course: Course, lesson: Lesson, progress: Progress): LessonView {
  const index = course.lessons.indexOf(lesson);
  return {
    id: lesson.id,
    title: lesson.title,
    difficulty: lesson.difficulty,
    minutes: lesson.minutes,
    topics: lesson.topics,
    moduleId: lesson.moduleId,
    objectives: lesson.objectives,
    prerequisites: lesson.prerequisites,
    segments: segmentsOf.get(lesson) ?? segmentsOf.set(lesson, lessonSegments(lesson)).get(lesson) ?? [],
    previous: course.lessons[index - 1]?.id ?? null,
    next: course.lessons[index + 1]?.id ?? null,
    progress: progress.lessons[lesson.id] ?? { readAt: null },
  };
}

export function moduleOf(course: Course, exerciseId: string): string | null {
  return course.modules.find((m) => m.exercises.includes(exerciseId))?.id ?? null;
}

export function exerciseView(
  course: Course,
  exercise: Exercise,
  saved: { files: FileTree; savedAt: number } | null,
  progress: ExerciseProgress,
): ExerciseView {
  const editable = new Set(exercise.meta.edit);
  const files: WorkspaceFile[] = Object.entries(exercise.starter)
    .map(([path, content]): WorkspaceFile => {
      const text = editable.has(path) ? (saved?.files[path] ?? content) : content;
      return {
        path,
        content: text,
        editable: editable.has(path),
        kind: path.endsWith('.py') ? ('code' as const) : ('data' as const),
        sizeBytes: Buffer.byteLength(text),
      };
    })
    .concat(
      Object.entries(exercise.starterData).map(([path, bytes]) => ({
        path,
        content: textOrNull(bytes),
        editable: false,
        kind: 'data' as const,
        sizeBytes: bytes.byteLength,
      })),
    )
    // Editable files first (the learner's work), then the rest by path.
    .sort((a, b) => Number(b.editable) - Number(a.editable) || a.path.localeCompare(b.path));
  return {
    ...exerciseSummary(exercise),
    moduleId: moduleOf(course, exercise.meta.id),
    prompt: exercise.prompt,
    entry: exerciseEntry(exercise),
    files,
    savedAt: saved?.savedAt ?? null,
    hintsTotal: exercise.hints.length,
    hints: exercise.hints.slice(0, progress.hintsShown),
    checks: exercise.meta.checks.map((c) => ({ id: c.id, kind: c.kind, title: c.title ?? c.id })),
    progress,
  };
}

/** Data files small enough and valid UTF-8 are shown as text; others are downloads. */
function textOrNull(bytes: Uint8Array): string | null {
  if (bytes.byteLength > 256 * 1024) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
