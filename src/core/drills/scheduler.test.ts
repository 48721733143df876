import { describe, expect, it } from 'vitest';
import {
  drillStatus,
  endOfDayMs,
  gradeDrillCard,
  newDrillCard,
  previewDrillGrades,
  type DrillCard,
  type DrillGrade,
} from './scheduler.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Monday 5 January 2026, 09:00 UTC: every test starts its clock here. */
const T0_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
const AT_90 = { targetRetention: 0.9 };

/** Grades a new card through `grades`, each at the moment the card comes due; returns the last card. */
function gradeOnTime(grades: DrillGrade[], options = AT_90): { card: DrillCard; nowMs: number } {
  let card: DrillCard | undefined;
  let nowMs = T0_MS;
  for (const grade of grades) {
    nowMs = card ? card.dueAtMs : nowMs;
    card = gradeDrillCard(card, grade, nowMs, options).card;
  }
  return { card: card as DrillCard, nowMs };
}

describe('gradeDrillCard', () => {
  it('a new question graded Again comes back in 1 min, Good after a 10-min learning step', () => {
    expect(gradeDrillCard(undefined, 1, T0_MS, AT_90).card.dueAtMs - T0_MS).toBe(1 * MINUTE_MS);
    const good = gradeDrillCard(undefined, 3, T0_MS, AT_90).card;
    expect(good.dueAtMs - T0_MS).toBe(10 * MINUTE_MS);
    expect(good.phase).toBe('learning');
  });

  it('a question graded Good once it is in review comes back on the FSRS interval (stability, at 90 % retention)', () => {
    // At 90 % target retention FSRS's interval is the memory stability itself (the days after
    // which recall drops to 90 %), rounded to whole days.
    const { card: reviewCard } = gradeOnTime([3, 3]);
    expect(reviewCard.phase).toBe('review');
    const { card, log } = gradeDrillCard(reviewCard, 3, reviewCard.dueAtMs, AT_90);
    expect(card.scheduledDays).toBe(Math.round(card.stability));
    expect(card.scheduledDays).toBeGreaterThan(reviewCard.scheduledDays);
    expect(card.dueAtMs - reviewCard.dueAtMs).toBe(card.scheduledDays * DAY_MS);
    expect(log).toMatchObject({ grade: 3, phaseBefore: 'review', dueAtMs: card.dueAtMs });
    expect(log.elapsedDays).toBe(reviewCard.scheduledDays);
  });

  it('a known question graded Again comes back in minutes, as a lapse in relearning', () => {
    const { card: known } = gradeOnTime([3, 3, 3]);
    const { card } = gradeDrillCard(known, 1, known.dueAtMs, AT_90);
    expect(card.phase).toBe('relearning');
    expect(card.lapses).toBe(known.lapses + 1);
    expect(card.dueAtMs - known.dueAtMs).toBe(10 * MINUTE_MS);
    expect(card.stability).toBeLessThan(known.stability);
  });

  it('a higher target retention brings questions back sooner', () => {
    const intervals = [0.7, 0.9, 0.97].map((targetRetention) => {
      const { card: reviewCard } = gradeOnTime([3, 3], { targetRetention });
      return gradeDrillCard(reviewCard, 3, reviewCard.dueAtMs, { targetRetention }).card.scheduledDays;
    });
    expect(intervals[0]).toBeGreaterThan(intervals[1] as number);
    expect(intervals[1]).toBeGreaterThan(intervals[2] as number);
  });

  it('refuses a grade outside 1..4 and a target retention outside 0.7..0.97', () => {
    expect(() => gradeDrillCard(undefined, 0 as DrillGrade, T0_MS, AT_90)).toThrow(/grade must be 1\.\.4/);
    expect(() => gradeDrillCard(undefined, 3, T0_MS, { targetRetention: 0.99 })).toThrow(
      /between 0.7 and 0.97/,
    );
    expect(() => previewDrillGrades(undefined, T0_MS, { targetRetention: 0.5 })).toThrow(RangeError);
  });

  it('the same history always gives the same schedule (no fuzz)', () => {
    expect(gradeOnTime([3, 3, 4, 2, 3])).toEqual(gradeOnTime([3, 3, 4, 2, 3]));
  });
});

describe('previewDrillGrades', () => {
  it('names exactly when each grade would bring the question back', () => {
    const { card } = gradeOnTime([3, 3]);
    const preview = previewDrillGrades(card, card.dueAtMs, AT_90);
    for (const grade of [1, 2, 3, 4] as const) {
      expect(preview[grade]).toBe(gradeDrillCard(card, grade, card.dueAtMs, AT_90).card.dueAtMs);
    }
    expect(preview[1]).toBeLessThan(preview[2]);
    expect(preview[2]).toBeLessThan(preview[3]);
    expect(preview[3]).toBeLessThan(preview[4]);
  });
});

describe('drillStatus', () => {
  it('moves from learning to due when the clock passes dueAtMs, and from known to due', () => {
    expect(drillStatus(undefined, T0_MS)).toBe('new');
    expect(drillStatus(newDrillCard(T0_MS), T0_MS)).toBe('new');
    const learning = gradeDrillCard(undefined, 3, T0_MS, AT_90).card;
    expect(drillStatus(learning, learning.dueAtMs - 1)).toBe('learning');
    expect(drillStatus(learning, learning.dueAtMs)).toBe('due');
    const { card: known } = gradeOnTime([3, 3]);
    expect(drillStatus(known, known.dueAtMs - 1)).toBe('known');
    expect(drillStatus(known, known.dueAtMs)).toBe('due');
  });
});

describe('endOfDayMs', () => {
  it("ends the learner's day at local midnight", () => {
    expect(endOfDayMs(T0_MS)).toBe(Date.UTC(2026, 0, 6));
    // 09:00 UTC is 18:00 in Tokyo (UTC+9): the day ends at 15:00 UTC.
    expect(endOfDayMs(T0_MS, 9 * 60)).toBe(Date.UTC(2026, 0, 5, 15));
    // ...and 23:00 the day before in Honolulu (UTC-10): it ends at 10:00 UTC.
    expect(endOfDayMs(T0_MS, -10 * 60)).toBe(Date.UTC(2026, 0, 5, 10));
  });
});
