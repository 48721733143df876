import { describe, expect, it } from 'vitest';
import { decideOverlap } from './overlap.js';
import type { CheckOf } from './result.js';

const check: CheckOf<'overlap'> = {
  id: 'overlaps',
  kind: 'overlap',
  call: 'fetch.fetch_all',
  input: 'tests/inputs.py:urls',
  latencyMs: 200,
  requests: 10,
  slack: 1,
};
const measured = (wallS: number | null, maxInFlight: number, resultOk = true) => ({
  id: check.id,
  kind: 'overlap' as const,
  wallS,
  maxInFlight,
  requestsServed: 10,
  resultOk,
  error: null,
});

describe('overlap decision', () => {
  it('passes calls in flight together within latency × (1 + slack)', () => {
    expect(decideOverlap(check, measured(0.25, 10))).toMatchObject({
      status: 'passed',
      sentence:
        '10 blocking calls of 200 ms took 250 ms with at most 10 in flight (one after another would take 2 s; overlapped should be under 400 ms)',
      evidence: { budgetS: 0.4, sequentialS: 2 },
    });
  });

  it.each([
    ['one after another', measured(2.01, 1)],
    ['over the budget', measured(0.5, 10)],
    ['with results that differ from the reference', measured(0.25, 10, false)],
    ['without finishing', measured(null, 3)],
  ])('fails calls %s', (_what, m) => {
    expect(decideOverlap(check, m).status).toBe('failed');
  });
});
