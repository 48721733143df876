/**
 * Counts per state and the order of a review queue, from the learner's cards. Pure; the clock
 * and the learner's UTC offset are parameters.
 */
import type { DrillCounts } from '../drill-api.js';
import { drillStatus, endOfDayMs, type DrillCard } from './scheduler.js';

/** A question in course order and the learner's card for it (undefined: never graded). */
export interface CardEntry {
  id: string;
  card: DrillCard | undefined;
}

/**
 * new / learning / due / known as drillStatus says at `nowMs`; dueToday: graded questions that
 * are due before the learner's local midnight (so it includes `due`, and learning steps that
 * come back later today).
 */
export function countDrills(entries: readonly CardEntry[], nowMs: number, utcOffsetMinutes = 0): DrillCounts {
  const counts: DrillCounts = { total: entries.length, new: 0, learning: 0, due: 0, known: 0, dueToday: 0 };
  const dayEndMs = endOfDayMs(nowMs, utcOffsetMinutes);
  for (const { card } of entries) {
    counts[drillStatus(card, nowMs)]++;
    if (card && card.phase !== 'new' && card.dueAtMs < dayEndMs) counts.dueToday++;
  }
  return counts;
}

/**
 * The review queue: every due question, most overdue first (earliest dueAtMs; ties in course
 * order), then up to `newLimit` new ones in course order; at most `limit` in all. Questions in
 * learning or known and not yet due are left out: they come back when their time comes.
 */
export function reviewQueueOrder(
  entries: readonly CardEntry[],
  nowMs: number,
  options: { newLimit: number; limit: number },
): string[] {
  const due = entries
    .filter((e) => drillStatus(e.card, nowMs) === 'due')
    .sort((a, b) => (a.card?.dueAtMs ?? 0) - (b.card?.dueAtMs ?? 0));
  const fresh = entries.filter((e) => drillStatus(e.card, nowMs) === 'new').slice(0, options.newLimit);
  return [...due, ...fresh].slice(0, options.limit).map((e) => e.id);
}
