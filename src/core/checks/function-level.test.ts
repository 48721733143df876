import { describe, expect, it } from 'vitest';
import type { Measurement } from '../documents.js';
import type { AuthoredCheck } from '../exercise.js';
import { decideFunctionCheck, isFunctionLevel } from './function-level.js';

const growthCheck = {
  id: 'grows',
  kind: 'growth',
  call: 'm.f',
  input: 'tests/inputs.py:sized',
  sizes: [1, 10, 100, 1000],
  max: 'n',
  repeats: 1,
} as AuthoredCheck;
const speedMeasurement: Measurement = {
  id: 'grows',
  kind: 'speed',
  baselineS: [1],
  candidateS: [1],
  loopsPerSample: 1,
};

describe('function-level dispatch', () => {
  it.each([
    ['no measurement', undefined, 'the grader produced no measurement for this check', {}],
    [
      "the grader's error",
      { ...speedMeasurement, kind: 'growth', learner: [], error: 'TypeError: f() takes 0 arguments' },
      'TypeError: f() takes 0 arguments',
      { measurement: expect.objectContaining({ kind: 'growth' }) },
    ],
    [
      'a measurement of another kind',
      speedMeasurement,
      'measurement kind speed does not match the check kind growth',
      {},
    ],
  ] as const)('fails on %s, keeping the check kind', (_what, m, sentence, evidence) => {
    expect(decideFunctionCheck(growthCheck, m as Measurement | undefined, true)).toEqual({
      id: 'grows',
      kind: 'growth',
      title: 'grows',
      passed: false,
      status: 'failed',
      sentence,
      evidence,
    });
  });

  it('sends the grader only function-level kinds', () => {
    expect(isFunctionLevel(growthCheck)).toBe(true);
    expect(isFunctionLevel({ ...growthCheck, kind: 'hang' } as AuthoredCheck)).toBe(false);
  });
});
