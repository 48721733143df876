import { describe, expect, it } from 'vitest';
import { seededRandom, type DrillCandidate } from './draw.js';
import { MOCK_EXERCISE_TIME_LIMIT_SEC, planMock, type ExerciseCandidate } from './mock-plan.js';

const T0_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
const TOPICS = ['pytest', 'logging', 'mocking', 'gil', 'asyncio', 'timeit'];
/** Four questions of each kind, topics spread round-robin. */
const drills: DrillCandidate[] = (['quick-fire', 'scenario', 'code-reading'] as const).flatMap((kind, k) =>
  Array.from({ length: 4 }, (_, i) => ({
    id: `${kind}-${i}`,
    kind,
    module: 'm',
    topics: [TOPICS[(k * 4 + i) % TOPICS.length] as string],
    card: undefined,
  })),
);
const exercises: ExerciseCandidate[] = [
  { id: 'racy-counter', kind: 'debug', topics: ['race-conditions'] },
  { id: 'word-frequency', kind: 'challenge', topics: ['algorithms-first'] },
  { id: 'stdin-hang', kind: 'debug', topics: ['subprocess'] },
];

describe('planMock', () => {
  it('plans 3 quick-fire at 60 s, a scenario at 8 min and a code-reading at 6 min, deterministic for a seed', () => {
    const plan = (seed: number) =>
      planMock(drills, exercises, { includeExercise: false, nowMs: T0_MS, random: seededRandom(seed) });
    const parts = plan(3);
    expect(parts.map((p) => [p.kind, p.timeLimitSec])).toEqual([
      ['quick-fire', 60],
      ['quick-fire', 60],
      ['quick-fire', 60],
      ['scenario', 480],
      ['code-reading', 360],
    ]);
    expect(plan(3)).toEqual(parts);
    expect([1, 2, 4, 5, 6].some((seed) => JSON.stringify(plan(seed)) !== JSON.stringify(parts))).toBe(true);
  });

  it('mixes topics: no two parts share one while unused topics remain', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const parts = planMock(drills, exercises, {
        includeExercise: false,
        nowMs: T0_MS,
        random: seededRandom(seed),
      });
      const topics = parts.flatMap((p) => p.topics);
      expect(new Set(topics).size).toBe(topics.length);
    }
  });

  it('adds one debugging exercise (never a challenge) with its 20-min time box when asked', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const parts = planMock(drills, exercises, {
        includeExercise: true,
        nowMs: T0_MS,
        random: seededRandom(seed),
      });
      const last = parts.at(-1);
      expect(last?.kind).toBe('exercise');
      expect(['racy-counter', 'stdin-hang']).toContain(last?.refId);
      expect(last?.timeLimitSec).toBe(MOCK_EXERCISE_TIME_LIMIT_SEC);
    }
    const none = planMock(drills, [exercises[1] as ExerciseCandidate], {
      includeExercise: true,
      nowMs: T0_MS,
      random: seededRandom(1),
    });
    expect(none.some((p) => p.kind === 'exercise')).toBe(false);
  });

  it('gives a slot what there is when its kind runs short', () => {
    const parts = planMock(
      drills.filter(
        (d) => d.id !== 'scenario-0' && !d.id.startsWith('quick-fire-') && !d.id.startsWith('code-'),
      ),
      [],
      { includeExercise: true, nowMs: T0_MS, random: seededRandom(1) },
    );
    expect(parts.map((p) => p.kind)).toEqual(['scenario']);
  });
});
