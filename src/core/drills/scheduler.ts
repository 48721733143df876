/**
 * Spaced repetition for drill questions: one card per learner and question, scheduled by FSRS
 * through ts-fsrs. This module owns the translation between ts-fsrs's Date-based `Card` and
 * perflab's `DrillCard`, a plain JSON-safe record (times in ms since the epoch) that the store
 * keeps and the API sends. Pure: the caller passes the clock (`nowMs`), so tests fix it.
 *
 * Fuzz is off: the same review history always gives the same schedule, so the browser's
 * "comes back in" labels match what grading then does, and tests can name exact intervals.
 */
import { createEmptyCard, fsrs, Rating, State, type Card, type FSRS, type Grade } from 'ts-fsrs';

/** The learner's self-grade: 1 Again, 2 Hard, 3 Good, 4 Easy (FSRS's ratings). */
export type DrillGrade = 1 | 2 | 3 | 4;
export const DRILL_GRADES: readonly DrillGrade[] = [1, 2, 3, 4];
export const GRADE_NAMES: Readonly<Record<DrillGrade, 'again' | 'hard' | 'good' | 'easy'>> = {
  1: 'again',
  2: 'hard',
  3: 'good',
  4: 'easy',
};

export type CardPhase = 'new' | 'learning' | 'review' | 'relearning';

/** What the store keeps per learner and question. Invariant: `dueAtMs` ≥ `lastReviewAtMs`. */
export interface DrillCard {
  dueAtMs: number;
  /** FSRS memory stability, in days. */
  stability: number;
  /** FSRS difficulty, 1..10. */
  difficulty: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  phase: CardPhase;
  lastReviewAtMs: number | null;
}

/** One graded review, as logged (every review is kept so parameters can be fitted later). */
export interface DrillReviewLog {
  grade: DrillGrade;
  /** The card's phase before this review. */
  phaseBefore: CardPhase;
  reviewedAtMs: number;
  /** Days since the previous review (0 for the first). */
  elapsedDays: number;
  scheduledDays: number;
  stability: number;
  difficulty: number;
  dueAtMs: number;
}

/** What a learner sees for a question in lists and counts. */
export type DrillStatus = 'new' | 'learning' | 'due' | 'known';

export interface SchedulerOptions {
  /** The probability of recalling a card when it comes due, 0.7..0.97 (FSRS default 0.9). */
  targetRetention: number;
}

export const DEFAULT_TARGET_RETENTION = 0.9;
export const MIN_TARGET_RETENTION = 0.7;
export const MAX_TARGET_RETENTION = 0.97;

const DAY_MS = 86_400_000;

const PHASES: Record<State, CardPhase> = {
  [State.New]: 'new',
  [State.Learning]: 'learning',
  [State.Review]: 'review',
  [State.Relearning]: 'relearning',
};
const STATES: Record<CardPhase, State> = {
  new: State.New,
  learning: State.Learning,
  review: State.Review,
  relearning: State.Relearning,
};

const schedulers = new Map<number, FSRS>();
function schedulerFor(options: SchedulerOptions): FSRS {
  const retention = options.targetRetention;
  if (!(retention >= MIN_TARGET_RETENTION && retention <= MAX_TARGET_RETENTION)) {
    throw new RangeError(
      `target retention must be between ${MIN_TARGET_RETENTION} and ${MAX_TARGET_RETENTION}, got ${retention}`,
    );
  }
  let scheduler = schedulers.get(retention);
  if (!scheduler) {
    scheduler = fsrs({ request_retention: retention, enable_fuzz: false, enable_short_term: true });
    schedulers.set(retention, scheduler);
  }
  return scheduler;
}

export function newDrillCard(nowMs: number): DrillCard {
  return fromFsrs(createEmptyCard(new Date(nowMs)));
}

function fromFsrs(card: Card): DrillCard {
  return {
    dueAtMs: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    phase: PHASES[card.state],
    lastReviewAtMs: card.last_review ? card.last_review.getTime() : null,
  };
}

function toFsrs(card: DrillCard, nowMs: number): Card {
  return {
    due: new Date(card.dueAtMs),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days:
      card.lastReviewAtMs === null ? 0 : Math.max(0, Math.floor((nowMs - card.lastReviewAtMs) / DAY_MS)),
    scheduled_days: card.scheduledDays,
    learning_steps: card.learningSteps,
    reps: card.reps,
    lapses: card.lapses,
    state: STATES[card.phase],
    ...(card.lastReviewAtMs === null ? {} : { last_review: new Date(card.lastReviewAtMs) }),
  };
}

/** Grades `card` (undefined: a question never seen) at `nowMs`: the card after, and the log entry. */
export function gradeDrillCard(
  card: DrillCard | undefined,
  grade: DrillGrade,
  nowMs: number,
  options: SchedulerOptions,
): { card: DrillCard; log: DrillReviewLog } {
  if (!DRILL_GRADES.includes(grade)) throw new RangeError(`grade must be 1..4, got ${String(grade)}`);
  const before = card ?? newDrillCard(nowMs);
  const result = schedulerFor(options).next(toFsrs(before, nowMs), new Date(nowMs), grade as Grade);
  const after = fromFsrs(result.card);
  return {
    card: after,
    log: {
      grade,
      phaseBefore: before.phase,
      reviewedAtMs: nowMs,
      elapsedDays: before.lastReviewAtMs === null ? 0 : Math.max(0, (nowMs - before.lastReviewAtMs) / DAY_MS),
      scheduledDays: after.scheduledDays,
      stability: after.stability,
      difficulty: after.difficulty,
      dueAtMs: after.dueAtMs,
    },
  };
}

/** When the card would come back for each grade, in ms since the epoch (for the grade buttons). */
export function previewDrillGrades(
  card: DrillCard | undefined,
  nowMs: number,
  options: SchedulerOptions,
): Record<DrillGrade, number> {
  const before = toFsrs(card ?? newDrillCard(nowMs), nowMs);
  const preview = schedulerFor(options).repeat(before, new Date(nowMs));
  return {
    1: preview[Rating.Again].card.due.getTime(),
    2: preview[Rating.Hard].card.due.getTime(),
    3: preview[Rating.Good].card.due.getTime(),
    4: preview[Rating.Easy].card.due.getTime(),
  };
}

/**
 * new: never graded. learning: in (re)learning steps and not yet due. due: its time has come.
 * known: in review and not yet due.
 */
export function drillStatus(card: DrillCard | undefined, nowMs: number): DrillStatus {
  if (!card || card.phase === 'new') return 'new';
  if (card.dueAtMs <= nowMs) return 'due';
  return card.phase === 'review' ? 'known' : 'learning';
}

/** The end of the learner's day containing `nowMs` (local midnight, from the UTC offset in minutes). */
export function endOfDayMs(nowMs: number, utcOffsetMinutes = 0): number {
  const local = nowMs + utcOffsetMinutes * 60_000;
  return Math.floor(local / DAY_MS) * DAY_MS + DAY_MS - utcOffsetMinutes * 60_000;
}
