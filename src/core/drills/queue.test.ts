import { describe, expect, it } from 'vitest';
import { countDrills, reviewQueueOrder, type CardEntry } from './queue.js';
import { gradeDrillCard, type DrillCard } from './scheduler.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Monday 5 January 2026, 20:00 UTC. */
const T0_MS = Date.UTC(2026, 0, 5, 20, 0, 0);
const learned = gradeDrillCard(undefined, 4, T0_MS - 30 * DAY_MS, { targetRetention: 0.9 }).card;
const review = (dueAtMs: number): DrillCard => ({ ...learned, dueAtMs });
const learning = (dueAtMs: number): DrillCard => ({ ...learned, phase: 'learning', dueAtMs });

const entries: CardEntry[] = [
  { id: 'new-a', card: undefined },
  { id: 'due-1h', card: review(T0_MS - HOUR_MS) },
  { id: 'known-3h', card: review(T0_MS + 3 * HOUR_MS) },
  { id: 'new-b', card: undefined },
  { id: 'due-3d', card: review(T0_MS - 3 * DAY_MS) },
  { id: 'learning-10min', card: learning(T0_MS + 10 * 60_000) },
  { id: 'known-5d', card: review(T0_MS + 5 * DAY_MS) },
  { id: 'new-c', card: undefined },
];

describe('countDrills', () => {
  it("counts each state, and what comes due before the learner's midnight", () => {
    expect(countDrills(entries, T0_MS)).toEqual({
      total: 8,
      new: 3,
      learning: 1,
      due: 2,
      known: 2,
      // 20:00 UTC: the two due, the learning step in 10 min, the known one at 23:00.
      dueToday: 4,
    });
    // In UTC+2 it is already 22:00; 23:00 UTC is tomorrow there.
    expect(countDrills(entries, T0_MS, 120).dueToday).toBe(3);
  });

  it('changes as the clock passes dueAtMs', () => {
    const later = countDrills(entries, T0_MS + 3 * HOUR_MS);
    expect(later).toMatchObject({ due: 4, learning: 0, known: 1 });
    expect(countDrills(entries, T0_MS + 5 * DAY_MS)).toMatchObject({ due: 5, known: 0, dueToday: 5 });
  });
});

describe('reviewQueueOrder', () => {
  it('puts due questions first, most overdue first, then new ones in course order up to newLimit', () => {
    expect(reviewQueueOrder(entries, T0_MS, { newLimit: 2, limit: 50 })).toEqual([
      'due-3d',
      'due-1h',
      'new-a',
      'new-b',
    ]);
    expect(reviewQueueOrder(entries, T0_MS, { newLimit: 0, limit: 50 })).toEqual(['due-3d', 'due-1h']);
    expect(reviewQueueOrder(entries, T0_MS, { newLimit: 10, limit: 3 })).toEqual([
      'due-3d',
      'due-1h',
      'new-a',
    ]);
    expect(reviewQueueOrder(entries, T0_MS + HOUR_MS, { newLimit: 0, limit: 50 })).toEqual([
      'due-3d',
      'due-1h',
      'learning-10min',
    ]);
  });
});
