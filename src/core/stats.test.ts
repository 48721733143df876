import { describe, expect, it } from 'vitest';
import { median, quantile, ratioOfMedians, summariseSamples } from './stats.js';
import { buildTimeitReport } from './timeit-report.js';

describe('timing statistics', () => {
  it('computes quantiles by linear interpolation', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
  });

  it('summarises samples with a relative spread', () => {
    const summary = summariseSamples([1, 1, 1, 1, 2]);
    expect(summary).toMatchObject({ min: 1, median: 1, max: 2, count: 5 });
    expect(summary.relativeIqr).toBe(0);
  });

  it('gives a ratio interval that contains the true ratio and excludes 1 for a clear difference', () => {
    const fast = [1.0, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97];
    const slow = fast.map((x) => x * 3);
    const estimate = ratioOfMedians(slow, fast);
    expect(estimate.ratio).toBeCloseTo(3, 5);
    expect(estimate.low).toBeLessThanOrEqual(3);
    expect(estimate.high).toBeGreaterThanOrEqual(3);
    expect(estimate.low).toBeGreaterThan(2.5);
  });

  it('is deterministic for the same samples', () => {
    const a = [1, 2, 3, 4, 5];
    const b = [2, 3, 4, 5, 6];
    expect(ratioOfMedians(a, b)).toEqual(ratioOfMedians(a, b));
  });

  it('names the fastest candidate and compares the others against it', () => {
    const report = buildTimeitReport([
      { expr: 'slow()', loopsPerSample: 10, samplesS: [2e-3, 2.1e-3, 1.9e-3] },
      { expr: 'fast()', loopsPerSample: 1000, samplesS: [1e-5, 1.1e-5, 0.9e-5] },
    ]);
    expect(report.fastest).toBe('fast()');
    expect(report.candidates[0]?.relativeToFastest.ratio).toBeCloseTo(200, 5);
    expect(report.candidates[1]?.relativeToFastest).toEqual({ ratio: 1, low: 1, high: 1 });
  });
});
