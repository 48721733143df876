import { describe, expect, it } from 'vitest';
import { comesBackIn, dueText } from './drill-time';

const NOW_MS = Date.UTC(2026, 11, 3, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('comesBackIn', () => {
  it.each([
    [0, '1 min'],
    [-5 * MIN, '1 min'],
    [1 * MIN, '1 min'],
    [10 * MIN, '10 min'],
    [59 * MIN, '59 min'],
    [59.6 * MIN, '1 h'],
    [5 * HOUR, '5 h'],
    [23.6 * HOUR, '1 d'],
    [3 * DAY, '3 d'],
    [29 * DAY, '29 d'],
    [61 * DAY, '2 mo'],
    [365 * DAY, '1 y'],
    [1.5 * 365 * DAY, '1.5 y'],
  ])('%d ms ahead reads %s', (aheadMs, label) => {
    expect(comesBackIn(NOW_MS + aheadMs, NOW_MS)).toBe(label);
  });
});

describe('dueText', () => {
  it('tells never-seen, due and later apart', () => {
    expect(dueText(null, NOW_MS)).toBe('not seen yet');
    expect(dueText(NOW_MS, NOW_MS)).toBe('due now');
    expect(dueText(NOW_MS + 2 * DAY, NOW_MS)).toBe('due in 2 d');
  });
});
