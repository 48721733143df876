/**
 * Planning a mock interview: a timed mixed set of parts, spread over as many topics as the
 * questions allow, deterministic for a seed. Pure.
 */
import { drillStatus } from './scheduler.js';
import { shuffled, type DrillCandidate, type RandomSource } from './draw.js';

export type MockPartKind = 'quick-fire' | 'scenario' | 'code-reading' | 'exercise';

export interface MockPart {
  kind: MockPartKind;
  /** The drill id, or the exercise id for 'exercise'. */
  refId: string;
  topics: string[];
  timeLimitSec: number;
}

/** One line of the interview's shape: `count` parts of `kind`, `timeLimitSec` each. */
export interface MockSlot {
  kind: Exclude<MockPartKind, 'exercise'>;
  count: number;
  timeLimitSec: number;
}

/**
 * The default shape, as an interviewer runs it: three quick questions to warm up (60 s each),
 * one scenario to reason through aloud (8 min), one profiler output to read (6 min).
 */
export const DEFAULT_MOCK_SHAPE: readonly MockSlot[] = [
  { kind: 'quick-fire', count: 3, timeLimitSec: 60 },
  { kind: 'scenario', count: 1, timeLimitSec: 480 },
  { kind: 'code-reading', count: 1, timeLimitSec: 360 },
];

/** The debugging exercise's time box: 20 min, long enough to profile, fix and verify once or twice. */
export const MOCK_EXERCISE_TIME_LIMIT_SEC = 1200;

/** What planning needs of an exercise: only debugging exercises ('debug') are offered. */
export interface ExerciseCandidate {
  id: string;
  kind: 'debug' | 'challenge';
  topics: readonly string[];
}

/**
 * Picks from `pool` (already shuffled) the first item whose topics are all new to the interview,
 * else the one sharing the fewest topics with it; due and new questions win ties over known
 * ones (`fresh`). Returns undefined for an empty pool.
 */
function pickSpread<T extends { topics: readonly string[] }>(
  pool: readonly T[],
  covered: ReadonlySet<string>,
  fresh: (item: T) => boolean,
): T | undefined {
  let best: T | undefined;
  let bestCost = Infinity;
  for (const item of pool) {
    // Overlap dominates: a known question on a new topic beats a due one on a covered topic.
    const cost = item.topics.filter((t) => covered.has(t)).length * 2 + (fresh(item) ? 0 : 1);
    if (cost < bestCost) {
      best = item;
      bestCost = cost;
    }
  }
  return best;
}

/**
 * Plans a mock interview from `drills` (already filtered to a module, if any): the slots of
 * `shape` in order, then the exercise when `includeExercise` and a debugging exercise exists.
 * A slot with too few questions of its kind gets what there is (so an interview may be shorter).
 */
export function planMock(
  drills: readonly DrillCandidate[],
  exercises: readonly ExerciseCandidate[],
  options: { includeExercise: boolean; nowMs: number; random: RandomSource; shape?: readonly MockSlot[] },
): MockPart[] {
  const covered = new Set<string>();
  const used = new Set<string>();
  const parts: MockPart[] = [];
  const fresh = (d: DrillCandidate) => {
    const status = drillStatus(d.card, options.nowMs);
    return status === 'due' || status === 'new';
  };
  for (const slot of options.shape ?? DEFAULT_MOCK_SHAPE) {
    const pool = shuffled(
      drills.filter((d) => d.kind === slot.kind),
      options.random,
    );
    for (let n = 0; n < slot.count; n++) {
      const drill = pickSpread(
        pool.filter((d) => !used.has(d.id)),
        covered,
        fresh,
      );
      if (!drill) break;
      used.add(drill.id);
      drill.topics.forEach((t) => covered.add(t));
      parts.push({
        kind: slot.kind,
        refId: drill.id,
        topics: [...drill.topics],
        timeLimitSec: slot.timeLimitSec,
      });
    }
  }
  if (options.includeExercise) {
    const pool = shuffled(
      exercises.filter((e) => e.kind === 'debug'),
      options.random,
    );
    const exercise = pickSpread(pool, covered, () => true);
    if (exercise) {
      parts.push({
        kind: 'exercise',
        refId: exercise.id,
        topics: [...exercise.topics],
        timeLimitSec: MOCK_EXERCISE_TIME_LIMIT_SEC,
      });
    }
  }
  return parts;
}
