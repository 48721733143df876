import { describe, expect, it } from 'vitest';
import type { Measurement } from '../documents.js';
import { pairedSpeedup } from '../verdict.js';
import { evidenceSchemas } from './evidence.js';
import type { CheckOf } from './result.js';
import { decideSpeed, MAX_SPEED_ROUNDS, speedTooNoisy } from './speed.js';

const atLeast2: CheckOf<'speed'> = {
  id: 'fast-enough',
  kind: 'speed',
  call: 'pairs.count_pairs',
  input: 'tests/inputs.py:big_input',
  atLeast: 2,
  rounds: 5,
};
const within1_5: CheckOf<'speed'> = { ...atLeast2, id: 'near-reference', atLeast: undefined, within: 1.5 };

/** Paired rounds whose baseline/candidate ratios are exactly `ratios`. */
function speed(ratios: number[]): Extract<Measurement, { kind: 'speed' }> {
  return {
    id: 'fast-enough',
    kind: 'speed',
    baselineS: ratios.map(() => 1),
    candidateS: ratios.map((r) => 1 / r),
    loopsPerSample: 1,
    wrongResult: null,
    error: null,
  };
}

// Ratios swinging between 1.25× and 3.2× around the 2× needed: a machine too noisy to tell.
const noisy = Array.from({ length: MAX_SPEED_ROUNDS }, (_, i) => (i % 2 === 0 ? 1.25 : 3.2) * (1 + i / 1000));
const rounds = (n: number, ratioOf: (i: number) => number) => Array.from({ length: n }, (_, i) => ratioOf(i));

describe('speed decision', () => {
  it('noise too high after the last round: wait and measure afresh, then undecided (never failed)', () => {
    const estimate = pairedSpeedup(
      noisy,
      noisy.map(() => 1),
    );
    expect([estimate.low < 2, estimate.high >= 2, speedTooNoisy(estimate)]).toEqual([true, true, true]);
    expect(decideSpeed(atLeast2, speed(noisy), false)).toMatchObject({ more: 'wait' });
    const last = decideSpeed(atLeast2, speed(noisy), true);
    expect(last).toMatchObject({ status: 'undecided', passed: false, evidence: { requiredSpeedup: 2 } });
    expect('sentence' in last && last.sentence).toMatch(/too noisy .* says nothing against your code/);
  });

  it('below the round cap, a straddling interval asks for more rounds at once (no wait)', () => {
    const more = decideSpeed(atLeast2, speed(noisy.slice(0, 7)), false);
    expect(more).toMatchObject({ more: 'rounds' });
    expect('reason' in more && more.reason).toMatch(/straddles the 2× needed after 7 rounds/);
  });

  it('at the round cap, a narrow interval around the threshold is decided by the point estimate', () => {
    const borderline = rounds(MAX_SPEED_ROUNDS, (i) => 2 * (1 + ((i % 5) - 2) * 0.01));
    const estimate = pairedSpeedup(
      borderline,
      borderline.map(() => 1),
    );
    expect(speedTooNoisy(estimate)).toBe(false);
    expect(decideSpeed(atLeast2, speed(borderline), false)).toMatchObject({
      status: estimate.speedup >= 2 ? 'passed' : 'failed',
    });
  });

  it('clear results pass and fail, and say the measured and the needed speed-up', () => {
    const pass = decideSpeed(atLeast2, speed(rounds(5, (i) => 6 + i * 0.1)), false);
    expect(pass).toMatchObject({ status: 'passed', passed: true });
    expect('sentence' in pass && pass.sentence).toMatch(
      /^6\.2× \(95% interval .*\) faster than the starter; needs at least 2×$/,
    );
    const fail = decideSpeed(atLeast2, speed(rounds(5, (i) => 1 + i * 0.01)), false);
    expect(fail).toMatchObject({
      status: 'failed',
      sentence: expect.stringMatching(/^not yet fast enough: 1\.02×/),
    });
  });

  it('a within-K× rule is stated as a multiple of the reference time, its threshold typed in the evidence', () => {
    const result = decideSpeed(within1_5, speed(rounds(5, () => 0.5)), false);
    expect(result).toMatchObject({
      status: 'failed',
      sentence: "2× the reference's time (interval 2–2×); allowed up to 1.5×",
      evidence: { within: 1.5, atLeast: null, speedup: 0.5, rounds: 5, loopsPerSample: 1 },
    });
    expect('evidence' in result && result.evidence.requiredSpeedup).toBeCloseTo(1 / 1.5);
  });

  it('a wrong result while timed fails at once, with the case and nothing measured', () => {
    const wrongResult = { argsSummary: '([1, 2],)', expectedRepr: '1', actualRepr: '0' };
    const result = decideSpeed(atLeast2, { ...speed([5, 5, 5]), wrongResult }, false);
    expect(result).toMatchObject({ status: 'failed', evidence: { wrongResult } });
    expect('sentence' in result && result.sentence).toBe(
      'returns a wrong result while timed: ([1, 2],) gave 0, expected 1',
    );
  });

  it("records evidence the report's schema reads back unchanged", () => {
    const result = decideSpeed(atLeast2, speed(rounds(5, () => 3)), false);
    if (!('evidence' in result)) throw new Error('expected a result');
    expect(evidenceSchemas.speed.parse(result.evidence)).toEqual(result.evidence);
  });
});
