import { describe, expect, it } from 'vitest';
import { dueText } from './drill-time';

const NOW_MS = Date.UTC(2026, 11, 3, 12, 0, 0);
const DAY = 86_400_000;

describe('dueText', () => {
  it('tells never-seen, due and later apart', () => {
    expect(dueText(null, NOW_MS)).toBe('not seen yet');
    expect(dueText(NOW_MS, NOW_MS)).toBe('due now');
    expect(dueText(NOW_MS + 2 * DAY, NOW_MS)).toBe('due in 2 d');
  });
});
