import { describe, expect, it } from 'vitest';
import { drawQuickFire, filterCandidates, seededRandom, shuffled, type DrillCandidate } from './draw.js';
import { gradeDrillCard, type DrillCard } from './scheduler.js';

const T0_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
const DAY_MS = 86_400_000;
/** A card in review, due `dueInDays` after T0 (negative: overdue). */
function reviewCard(dueInDays: number): DrillCard {
  const learned = gradeDrillCard(undefined, 4, T0_MS - 30 * DAY_MS, { targetRetention: 0.9 }).card;
  return { ...learned, dueAtMs: T0_MS + dueInDays * DAY_MS };
}
function candidate(id: string, card?: DrillCard, topics = ['pytest']): DrillCandidate {
  return { id, kind: 'quick-fire', module: '04-tests-and-logs', topics, card };
}

describe('seededRandom', () => {
  it('repeats its sequence for a seed, differs for another, stays in [0, 1)', () => {
    const take = (seed: number) => Array.from({ length: 1000 }, seededRandom(seed));
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
    const values = take(7);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    // Roughly uniform: each tenth of [0, 1) gets 100 ± 40 of 1000 draws.
    for (let tenth = 0; tenth < 10; tenth++) {
      const n = values.filter((v) => Math.floor(v * 10) === tenth).length;
      expect(n).toBeGreaterThan(60);
      expect(n).toBeLessThan(140);
    }
  });

  it('shuffled keeps every item once and leaves its input alone', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const result = shuffled(items, seededRandom(1));
    expect([...result].sort((a, b) => a - b)).toEqual(items);
    expect(result).not.toEqual(items);
    expect(items[0]).toBe(0);
  });
});

describe('drawQuickFire', () => {
  const known = Array.from({ length: 20 }, (_, i) => candidate(`known-${i}`, reviewCard(10 + i)));
  const due = Array.from({ length: 5 }, (_, i) => candidate(`due-${i}`, reviewCard(-i)));
  const fresh = Array.from({ length: 5 }, (_, i) => candidate(`new-${i}`));
  const all = [...known, ...due, ...fresh];

  it('is the same for the same seed and differs for another', () => {
    const draw = (seed: number) =>
      drawQuickFire(all, { count: 12, nowMs: T0_MS, random: seededRandom(seed) });
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5).ids).not.toEqual(draw(6).ids);
  });

  it('takes every due and new question before any known one, without duplicates', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { ids, short } = drawQuickFire([...all, ...due], {
        count: 12,
        nowMs: T0_MS,
        random: seededRandom(seed),
      });
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
      expect(short).toBe(false);
      for (const c of [...due, ...fresh]) expect(ids).toContain(c.id);
      expect(ids.filter((id) => id.startsWith('known-'))).toHaveLength(2);
    }
  });

  it('asks all of them, and says so, when fewer than requested are available', () => {
    const draw = drawQuickFire(fresh, { count: 30, nowMs: T0_MS, random: seededRandom(9) });
    expect(draw).toMatchObject({ requested: 30, available: 5, short: true });
    expect([...draw.ids].sort()).toEqual(fresh.map((c) => c.id).sort());
  });

  it('refuses a round of no questions', () => {
    expect(() => drawQuickFire(all, { count: 0, nowMs: T0_MS, random: seededRandom(1) })).toThrow(RangeError);
  });
});

describe('filterCandidates', () => {
  it('keeps questions on any of the topics, of the module and kind', () => {
    const items = [
      candidate('a', undefined, ['pytest']),
      candidate('b', undefined, ['logging', 'pytest']),
      candidate('c', undefined, ['gil']),
      { ...candidate('d', undefined, ['logging']), kind: 'scenario' as const },
      { ...candidate('e', undefined, ['logging']), module: '01-measure' },
    ];
    const ids = (filter: Parameters<typeof filterCandidates>[1]) =>
      filterCandidates(items, filter).map((c) => c.id);
    expect(ids({ topics: ['logging'] })).toEqual(['b', 'd', 'e']);
    expect(ids({ topics: ['logging'], kind: 'quick-fire', module: '04-tests-and-logs' })).toEqual(['b']);
    expect(ids({})).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
