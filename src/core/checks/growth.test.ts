import { describe, expect, it } from 'vitest';
import type { Measurement } from '../documents.js';
import { evidenceSchemas } from './evidence.js';
import { decideGrowth } from './growth.js';
import type { CheckOf } from './result.js';

const check: CheckOf<'growth'> = {
  id: 'grows-linearly',
  kind: 'growth',
  call: 'pairs.count_pairs',
  input: 'tests/inputs.py:sized',
  sizes: [100, 1000, 10_000, 100_000],
  max: 'reference',
  repeats: 3,
};
const SIZES = [100, 1000, 10_000, 100_000];
/** Points t = 1e-7 · n^power (seconds). */
const curve = (power: number, sizes = SIZES) => sizes.map((n) => ({ n, timeS: 1e-7 * n ** power }));
const growth = (learnerPower: number, extra: Partial<Extract<Measurement, { kind: 'growth' }>> = {}) => ({
  id: check.id,
  kind: 'growth' as const,
  learner: curve(learnerPower),
  reference: curve(1),
  error: null,
  ...extra,
});

describe('growth decision', () => {
  it('against the reference: linear passes, quadratic fails, with both fits in the evidence', () => {
    const linear = decideGrowth(check, growth(1));
    expect(linear).toMatchObject({ status: 'passed', evidence: { limit: 'n', learnerFit: { model: 'n' } } });
    const quadratic = decideGrowth(check, growth(2));
    expect(quadratic.status).toBe('failed');
    expect(quadratic.sentence).toMatch(
      /^grows like n² \(log-log slope 2\.00\), the reference like n; allowed: n$/,
    );
    expect(evidenceSchemas.growth.parse(quadratic.evidence)).toEqual(quadratic.evidence);
  });

  it('a curve cut short because calls got too slow fails, whatever its fit', () => {
    const result = decideGrowth(check, growth(1, { stoppedAtN: 1_000_000 }));
    expect(result.status).toBe('failed');
    expect(result.sentence).toContain('stopped before n=1000000 because one call took over 5 s');
  });

  it('too few sizes to fit a curve fail with the raw measurement', () => {
    const m = growth(1, { learner: curve(1, [100, 1000]) });
    expect(decideGrowth({ ...check, max: 'n log n' }, m)).toMatchObject({
      status: 'failed',
      evidence: { measurement: m },
    });
  });
});
