import { describe, expect, it } from 'vitest';
import type { SessionItem, SessionView } from '../../api/drills';
import { currentPartIndex, formatCountdown, formatLimit, partDeadlineMs } from './session-clock';

const part = (index: number, over: Partial<SessionItem> = {}): SessionItem => ({
  index,
  kind: 'quick-fire',
  refId: `q${index}`,
  title: `Question ${index}`,
  question: '?',
  timeLimitSec: 60,
  startedAtMs: null,
  answeredAtMs: null,
  answer: null,
  full: null,
  keyPoints: null,
  output: null,
  grade: null,
  rubric: null,
  solvedInTime: null,
  secondsTaken: null,
  ...over,
});

const session = (items: SessionItem[]): SessionView => ({
  id: 's1',
  kind: 'quick-fire',
  startedAtMs: 0,
  finishedAtMs: null,
  items,
  summary: null,
});

describe('formatCountdown', () => {
  it.each([
    [480_000, '8:00'],
    [59_001, '1:00'],
    [59_000, '0:59'],
    [1, '0:01'],
    [0, '0:00'],
    [-5_000, '0:00'],
  ])('%i ms left reads %s (whole seconds rounded up)', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

describe('formatLimit', () => {
  it.each([
    [45, '45 s'],
    [60, '1 min'],
    [90, '1 min 30 s'],
    [480, '8 min'],
  ])('%i s reads %s', (seconds, text) => expect(formatLimit(seconds)).toBe(text));
});

describe('partDeadlineMs', () => {
  it('is null before the part starts', () => {
    expect(partDeadlineMs(part(0))).toBeNull();
  });

  it('is the server start plus the limit, moved onto the browser clock by the skew', () => {
    const started = part(0, { startedAtMs: 1_000_000, timeLimitSec: 480 });
    expect(partDeadlineMs(started)).toBe(1_480_000);
    // The server's clock runs 2 s ahead of the browser's: the deadline is 2 s earlier here.
    expect(partDeadlineMs(started, 2_000)).toBe(1_478_000);
  });
});

describe('currentPartIndex', () => {
  it('is the first part not answered, also after a timed-out one left unanswered', () => {
    expect(currentPartIndex(session([part(0, { answeredAtMs: 5 }), part(1), part(2)]))).toBe(1);
  });

  it('is null once every part is answered', () => {
    expect(currentPartIndex(session([part(0, { answeredAtMs: 5 })]))).toBeNull();
  });
});
