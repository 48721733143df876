/**
 * What the drill service needs of the course, looked up once: drills by id in course order,
 * lesson titles, topics with the lessons that teach them, debugging exercises. Built from the
 * loaded `Course` when the service is created; the course does not change while it runs.
 */
import type { DrillSummary, DrillView } from '../core/drill-api.js';
import type { DrillCandidate } from '../core/drills/draw.js';
import type { ExerciseCandidate } from '../core/drills/mock-plan.js';
import type { CardEntry } from '../core/drills/queue.js';
import {
  drillStatus,
  previewDrillGrades,
  type DrillCard,
  type SchedulerOptions,
} from '../core/drills/scheduler.js';
import type { TopicInfo } from '../core/drills/summary.js';
import type { Exercise } from '../core/exercise.js';
import type { Course, LoadedDrill } from '../course/load.js';

export interface DrillIndex {
  /** Every drill in course order (drill files by name, questions in file order). */
  drills: readonly LoadedDrill[];
  drill(id: string): LoadedDrill | undefined;
  lessonTitle(id: string): string;
  topic(id: string): TopicInfo | undefined;
  /** Topics in course order that have drills, with the module they are taught in. */
  topics: readonly { id: string; title: string; module: string; count: number }[];
  modules: readonly { id: string; title: string }[];
  exercise(id: string): Exercise | undefined;
  /** The exercises a module lists; undefined for an unknown module. */
  moduleExercises(moduleId: string): readonly string[] | undefined;
  exerciseCandidates: readonly ExerciseCandidate[];
}

export function indexCourse(course: Course): DrillIndex {
  const drills = new Map(course.drills.map((d) => [d.id, d]));
  const lessons = new Map(course.lessons.map((l) => [l.id, l]));
  const exercises = new Map(course.exercises.map((e) => [e.meta.id, e]));
  const topicInfo = new Map<string, TopicInfo>(
    course.file.topics.map((t) => [
      t.id,
      {
        title: t.title,
        lessons: course.lessons
          .filter((l) => l.topics.includes(t.id))
          .map((l) => ({ id: l.id, title: l.title })),
      },
    ]),
  );
  const topics = course.file.topics.flatMap((t) => {
    const withTopic = course.drills.filter((d) => d.topics.includes(t.id));
    const first = withTopic[0];
    if (!first) return [];
    // The module that teaches it (its first lesson's), else the module of its first question.
    const module = course.lessons.find((l) => l.topics.includes(t.id))?.moduleId ?? first.module;
    return [{ id: t.id, title: t.title, module, count: withTopic.length }];
  });
  return {
    drills: course.drills,
    drill: (id) => drills.get(id),
    lessonTitle: (id) => lessons.get(id)?.title ?? id,
    topic: (id) => topicInfo.get(id),
    topics,
    modules: course.modules.map((m) => ({ id: m.id, title: m.title })),
    exercise: (id) => exercises.get(id),
    moduleExercises: (id) => course.modules.find((m) => m.id === id)?.exercises,
    exerciseCandidates: course.exercises.map((e) => ({
      id: e.meta.id,
      kind: e.meta.kind,
      topics: e.meta.topics,
    })),
  };
}

/** The learner's cards by drill id. */
export type CardMap = ReadonlyMap<string, DrillCard>;

export function cardEntries(drills: readonly LoadedDrill[], cards: CardMap): CardEntry[] {
  return drills.map((d) => ({ id: d.id, card: cards.get(d.id) }));
}

export function drillCandidates(drills: readonly LoadedDrill[], cards: CardMap): DrillCandidate[] {
  return drills.map((d) => ({
    id: d.id,
    kind: d.kind,
    module: d.module,
    topics: d.topics,
    card: cards.get(d.id),
  }));
}

export function drillSummary(drill: LoadedDrill, card: DrillCard | undefined, nowMs: number): DrillSummary {
  return {
    id: drill.id,
    kind: drill.kind,
    module: drill.module,
    topics: drill.topics,
    lesson: drill.lesson,
    question: drill.question,
    status: drillStatus(card, nowMs),
    dueAtMs: card && card.phase !== 'new' ? card.dueAtMs : null,
  };
}

/** The whole question with its answers, and when each grade would bring it back. */
export function drillView(
  index: DrillIndex,
  drill: LoadedDrill,
  card: DrillCard | undefined,
  nowMs: number,
  options: SchedulerOptions,
): DrillView {
  return {
    ...drillSummary(drill, card, nowMs),
    answer: drill.answer,
    full: drill.full,
    keyPoints: drill.key_points ?? [],
    lessonTitle: index.lessonTitle(drill.lesson),
    output: drill.recordedOutput,
    next: previewDrillGrades(card, nowMs, options),
  };
}
