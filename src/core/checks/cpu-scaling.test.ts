import { describe, expect, it } from 'vitest';
import type { Measurement } from '../documents.js';
import { decideCpuScaling, MIN_CAPACITY_TO_JUDGE, requiredScaling } from './cpu-scaling.js';
import { evidenceSchemas } from './evidence.js';
import type { CheckOf } from './result.js';

const check: CheckOf<'cpu-scaling'> = {
  id: 'uses-every-cpu',
  kind: 'cpu-scaling',
  call: 'previews.make_previews',
  input: 'tests/inputs.py:scaling_input',
  serial: 'previews.previews_one_by_one',
  rounds: 3,
};

/** Three rounds: the serial version takes 1 s, the learner's 1 / `speedup` s. */
function scaling(capacity: number[], speedup: number, cpusAvailable = 2, resultOk = true) {
  const m: Extract<Measurement, { kind: 'cpu-scaling' }> = {
    id: check.id,
    kind: 'cpu-scaling',
    learnerS: capacity.map(() => 1 / speedup),
    serialS: capacity.map(() => 1),
    capacity,
    cpusAvailable,
    resultOk,
    error: null,
  };
  return m;
}

describe('CPU-scaling decision', () => {
  it('a busy 2-CPU machine (capacity 1.2×) asks to wait, then is undecided after the last round', () => {
    const busy = scaling([1.2, 1.15, 1.25], 1.1);
    const early = decideCpuScaling(check, busy, false);
    expect(early).toMatchObject({ more: 'wait' });
    expect('reason' in early && early.reason).toBe(
      'the machine is too busy to show CPU scaling (2 CPUs, but 2 busy processes ran only 1.2× faster than one)',
    );
    const last = decideCpuScaling(check, busy, true);
    expect(last).toMatchObject({
      status: 'undecided',
      passed: false,
      evidence: { capacity: 1.2, cpusAvailable: 2 },
    });
    expect('sentence' in last && last.sentence).toMatch(
      /^could not be decided on this machine now: it was too busy/,
    );
    expect('evidence' in last && last.evidence.required).toBeUndefined();
  });

  it.each([
    { what: 'parallel code passes', speedup: 1.8, resultOk: true, status: 'passed' },
    { what: 'serial code fails', speedup: 1.02, resultOk: true, status: 'failed' },
    { what: 'wrong results fail however fast', speedup: 1.9, resultOk: false, status: 'failed' },
  ])('on a quiet 2-CPU machine, $what (also at the last round)', ({ speedup, resultOk, status }) => {
    for (const finalRound of [false, true])
      expect(
        decideCpuScaling(check, scaling([1.9, 1.95, 1.9], speedup, 2, resultOk), finalRound),
      ).toMatchObject({
        status,
        evidence: { required: requiredScaling(2, 1.9) },
      });
  });

  it('one CPU is never "too busy": no scaling is asked for, only not much slower than serial', () => {
    const result = decideCpuScaling(check, scaling([1, 1, 1], 0.95, 1), false);
    expect(result).toMatchObject({ status: 'passed', evidence: { required: 0.8 } });
    expect('sentence' in result && result.sentence).toContain('on 1 CPU (the machine could give up to 1×)');
  });

  it('asks for 40 % of the gain the machine could give, and judges from the capacity threshold up', () => {
    expect(requiredScaling(4, 3.5)).toBeCloseTo(2);
    expect(decideCpuScaling(check, scaling([MIN_CAPACITY_TO_JUDGE], 1.2), false)).toMatchObject({
      status: 'passed',
    });
  });

  it("records evidence the report's schema reads back unchanged", () => {
    const result = decideCpuScaling(check, scaling([1.9], 1.8), false);
    if (!('evidence' in result)) throw new Error('expected a result');
    expect(evidenceSchemas['cpu-scaling'].parse(result.evidence)).toEqual(result.evidence);
  });
});
