import { describe, expect, it } from 'vitest';
import { formatMs, formatNumber, formatRatio, formatRatioInterval, formatSeconds } from './format.js';

describe('one formatter per quantity', () => {
  it.each([
    [1.4823, '1.48×'],
    [2, '2×'],
    [18.44, '18.4×'],
    [10083.43, '10,083×'],
    [0.6667, '0.67×'],
    [0.042, '0.042×'],
  ])('writes the ratio %s with about three significant figures, thousands grouped: %s', (ratio, text) => {
    expect(formatRatio(ratio)).toBe(text);
  });

  it('writes ratio intervals in the same style', () => {
    expect(formatRatioInterval(1.1, 1.94)).toBe('1.1–1.94×');
    expect(formatRatioInterval(5857.2, 12315.9)).toBe('5,857–12,316×');
  });

  it.each([
    [0.42, '0.42 ms'],
    [12.34, '12.3 ms'],
    [250, '250 ms'],
    [1234, '1.23 s'],
    [20_000, '20.0 s'],
    [59_400, '59.4 s'],
    [184_000, '3 min 4 s'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('writes %s ms as %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });

  it('writes per-loop seconds from nanoseconds up', () => {
    expect([1.2e-7, 3.21e-6, 0.0125, 1.5].map(formatSeconds)).toEqual([
      '120 ns',
      '3.21 µs',
      '12.5 ms',
      '1.50 s',
    ]);
  });

  it('keeps precision that shrinks as numbers grow', () => {
    expect([1234.5, 56.71, 3.214, 0.0421, 0.00001].map(formatNumber)).toEqual([
      '1,235',
      '56.7',
      '3.21',
      '0.042',
      '1e-5',
    ]);
  });
});
