/**
 * The mock-interview rubric and how results become FSRS grades and 0..1 scores. Pure.
 *
 * A rubric scores each key point of the drill 0..2 (0 not named, 1 named vaguely, 2 named and
 * explained) plus communication 0..2 (structure, clarity, stating assumptions).
 */
import type { DrillGrade } from './scheduler.js';

export interface Rubric {
  /** One 0..2 score per key point, in the drill's `key_points` order. */
  points: readonly number[];
  /** 0..2 */
  communication: number;
}

/** Score of a self-grade in summaries: Again 0, Hard 1/3, Good 2/3, Easy 1 (evenly spaced). */
export function gradeScore(grade: DrillGrade): number {
  return (grade - 1) / 3;
}

/**
 * Throws a RangeError naming the problem when `rubric` does not fit a drill with
 * `keyPointCount` key points (one 0..2 integer per point, communication 0..2).
 */
export function checkRubric(rubric: Rubric, keyPointCount: number): void {
  if (keyPointCount < 1) throw new RangeError('this question has no key points to score; send a grade');
  if (rubric.points.length !== keyPointCount) {
    throw new RangeError(
      `the rubric needs one score per key point: ${keyPointCount} expected, got ${rubric.points.length}`,
    );
  }
  for (const value of [...rubric.points, rubric.communication]) {
    if (!Number.isInteger(value) || value < 0 || value > 2) {
      throw new RangeError(`rubric scores are integers 0..2, got ${value}`);
    }
  }
}

/**
 * The part's score 0..1: every rubric point counts, communication as one more point
 * ((Σ points + communication) / (2 · (keyPoints + 1))), so the report rewards delivery too.
 */
export function rubricScore(rubric: Rubric): number {
  const sum = rubric.points.reduce((total, value) => total + value, 0) + rubric.communication;
  return sum / (2 * (rubric.points.length + 1));
}

/**
 * Lower bounds of the key-point fraction (Σ points / (2 · keyPoints)) for each grade.
 *
 * FSRS grades are about recall, so communication is left out: a well-recalled answer told
 * clumsily should not come back sooner. The thresholds follow what each grade means to FSRS:
 * - below 1/2 → Again: fewer than half the points named means the substance was not recalled
 *   (with 3 points, at most one fully named and one vague);
 * - 1/2 up to 0.7 → Hard: recalled, with real gaps;
 * - 0.7 up to 0.9 → Good: the answer a strong candidate gives, a point or two vague;
 * - 0.9 and above → Easy: essentially complete (with 3–4 points only a perfect score; with 5–6
 *   one point may be vague). Easy stretches the next interval most, so it needs near-full marks.
 */
export const RUBRIC_GRADE_THRESHOLDS = { hard: 0.5, good: 0.7, easy: 0.9 } as const;

export function rubricGrade(rubric: Rubric): DrillGrade {
  const fraction = rubric.points.reduce((total, value) => total + value, 0) / (2 * rubric.points.length);
  if (fraction >= RUBRIC_GRADE_THRESHOLDS.easy) return 4;
  if (fraction >= RUBRIC_GRADE_THRESHOLDS.good) return 3;
  if (fraction >= RUBRIC_GRADE_THRESHOLDS.hard) return 2;
  return 1;
}
