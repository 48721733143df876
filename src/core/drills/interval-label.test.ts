import { describe, expect, it } from 'vitest';
import { intervalLabel } from './interval-label.js';

const NOW_MS = Date.UTC(2026, 11, 3, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('intervalLabel', () => {
  it.each([
    [0, '1 min'],
    [-5 * MIN, '1 min'],
    [30_000, '1 min'],
    [10 * MIN, '10 min'],
    [59 * MIN, '59 min'],
    [59.6 * MIN, '1 h'],
    [3 * HOUR, '3 h'],
    [23.6 * HOUR, '1 d'],
    [8 * DAY, '8 d'],
    [29 * DAY, '29 d'],
    [61 * DAY, '2 mo'],
    [95 * DAY, '3 mo'],
    [365 * DAY, '1 y'],
    [550 * DAY, '1.5 y'],
  ])('%d ms ahead reads %s', (aheadMs, label) => {
    expect(intervalLabel(NOW_MS + aheadMs, NOW_MS)).toBe(label);
  });
});
