import { describe, expect, it } from 'vitest';
import type { Measurement } from '../documents.js';
import { decideCorrectness } from './correctness.js';
import { evidenceSchemas } from './evidence.js';
import type { CheckOf } from './result.js';

const check: CheckOf<'correctness'> = {
  id: 'correct',
  kind: 'correctness',
  call: 'pairs.count_pairs',
  cases: 'tests/cases.json',
  compare: 'equal',
};
type Case = Extract<Measurement, { kind: 'correctness' }>['cases'][number];
const ok = (index: number): Case => ({ index, passed: true, argsSummary: `(${index},)` });
const measured = (cases: Case[]) => ({ id: 'correct', kind: 'correctness' as const, cases, error: null });

describe('correctness decision', () => {
  it('passes when every hidden case matches', () => {
    expect(decideCorrectness(check, measured([ok(0), ok(1), ok(2)]))).toMatchObject({
      status: 'passed',
      sentence: 'all 3 hidden cases match the reference',
      evidence: { cases: 3 },
    });
  });

  it('names the first differing case by call and arguments, and keeps at most five', () => {
    const wrong = (index: number): Case => ({
      ...ok(index),
      passed: false,
      actualRepr: '0',
      expectedRepr: '2',
    });
    const result = decideCorrectness(check, measured([ok(0), ...[1, 2, 3, 4, 5, 6].map(wrong)]));
    expect(result.sentence).toBe(
      '6 of 7 hidden cases differ from the reference; first: count_pairs(1,) returned 0, expected 2',
    );
    expect(result.evidence.failed?.map((c) => c.index)).toEqual([1, 2, 3, 4, 5]);
    expect(evidenceSchemas.correctness.parse(result.evidence)).toEqual(result.evidence);
  });

  it('names an exception instead of a value, with a space before a summary that is no call', () => {
    const raised: Case = { index: 0, passed: false, argsSummary: '10,000 items', error: 'ValueError: empty' };
    expect(decideCorrectness(check, measured([raised])).sentence).toMatch(
      /first: count_pairs 10,000 items raised ValueError: empty$/,
    );
  });
});
