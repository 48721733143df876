import { describe, expect, it } from 'vitest';
import { checkRubric, gradeScore, rubricGrade, rubricScore } from './rubric.js';

describe('rubricGrade', () => {
  it.each([
    // 3 key points (max 6): below half is Again, a perfect answer Easy.
    [[1, 1, 0], 1],
    [[2, 0, 0], 1],
    [[2, 1, 0], 2],
    [[2, 2, 0], 2],
    [[2, 2, 1], 3],
    [[2, 2, 2], 4],
    // 6 key points (max 12): one vague point still Easy (11/12 ≥ 0.9), two vague Good.
    [[2, 2, 2, 2, 2, 1], 4],
    [[2, 2, 2, 2, 1, 1], 3],
    [[1, 1, 1, 1, 1, 1], 2],
    [[0, 0, 0, 0, 0, 0], 1],
  ])('points %j → grade %i', (points, grade) => {
    expect(rubricGrade({ points, communication: 2 })).toBe(grade);
  });

  it('leaves communication out of the grade (it is about recall) but not out of the score', () => {
    const points = [2, 2, 1];
    expect(rubricGrade({ points, communication: 0 })).toBe(rubricGrade({ points, communication: 2 }));
    expect(rubricScore({ points, communication: 0 })).toBeCloseTo(5 / 8);
    expect(rubricScore({ points, communication: 2 })).toBeCloseTo(7 / 8);
    expect(rubricScore({ points: [0, 0, 0], communication: 0 })).toBe(0);
    expect(rubricScore({ points: [2, 2, 2, 2], communication: 2 })).toBe(1);
  });
});

describe('checkRubric', () => {
  it('wants one integer 0..2 per key point, and a question with key points', () => {
    expect(() => checkRubric({ points: [2, 1, 0], communication: 1 }, 3)).not.toThrow();
    expect(() => checkRubric({ points: [2, 1], communication: 1 }, 3)).toThrow(/3 expected, got 2/);
    expect(() => checkRubric({ points: [2, 1, 3], communication: 1 }, 3)).toThrow(/0\.\.2, got 3/);
    expect(() => checkRubric({ points: [2, 1, 1], communication: 0.5 }, 3)).toThrow(/0\.\.2/);
    expect(() => checkRubric({ points: [], communication: 1 }, 0)).toThrow(/no key points/);
  });
});

describe('gradeScore', () => {
  it('spaces the four grades evenly over 0..1', () => {
    expect([1, 2, 3, 4].map((g) => gradeScore(g as 1 | 2 | 3 | 4))).toEqual([0, 1 / 3, 2 / 3, 1]);
  });
});
