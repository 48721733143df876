import { describe, expect, it } from 'vitest';
import { fitGrowth, growthTier, type GrowthPoint } from './growth.js';
import { decideSpeedup, pairedSpeedup } from './verdict.js';
import { seededRandom } from './stats.js';

const SIZES = [1000, 2000, 5000, 10000, 20000, 50000, 100000];

function points(shape: (n: number) => number, noise: number, seed = 3, overhead = 0): GrowthPoint[] {
  const random = seededRandom(seed);
  return SIZES.map((n) => ({ n, time: (overhead + shape(n)) * (1 + noise * (random() * 2 - 1)) }));
}

describe('growth fitting', () => {
  it.each([
    ['n', (n: number) => 2e-8 * n],
    ['n²', (n: number) => 1e-11 * n * n],
    ['n log n', (n: number) => 1e-8 * n * Math.log(n)],
  ] as const)('recognises %s growth through 10%% noise', (model, shape) => {
    for (let seed = 1; seed <= 5; seed++) {
      const fit = fitGrowth(points(shape, 0.1, seed));
      expect(growthTier(fit.model)).toBe(growthTier(model));
    }
  });

  it('sees linear growth behind a constant start-up cost', () => {
    const fit = fitGrowth(points((n) => 1e-7 * n, 0.05, 1, 1e-3));
    expect(fit.model).toBe('n');
  });

  it('reports a log-log slope near the exponent', () => {
    expect(fitGrowth(points((n) => n * n, 0)).logLogSlope).toBeCloseTo(2, 5);
  });
});

describe('speed verdicts', () => {
  it('passes a clear speed-up, fails a clear slow-down, and waits when unsure', () => {
    const base = [1, 1.1, 0.9, 1.05, 0.95, 1, 1.02];
    expect(
      decideSpeedup(
        pairedSpeedup(
          base,
          base.map((x) => x / 10),
        ),
        5,
        false,
      ),
    ).toBe('pass');
    expect(decideSpeedup(pairedSpeedup(base, base), 5, false)).toBe('fail');
    const noisy = pairedSpeedup([1, 1, 1, 1], [0.2, 0.5, 0.15, 0.6]);
    expect(decideSpeedup(noisy, 3, false)).toBe('undecided');
  });
});
