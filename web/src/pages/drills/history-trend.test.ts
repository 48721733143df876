import { describe, expect, it } from 'vitest';
import type { SessionHistory } from '../../api/drills';
import { trendSentence, trendSeries } from './history-trend';

type Row = SessionHistory['sessions'][number];
const row = (
  id: string,
  kind: Row['kind'],
  startedAtMs: number,
  score: number | null,
  finished = true,
): Row => ({
  id,
  kind,
  startedAtMs,
  finishedAtMs: finished ? startedAtMs + 60_000 : null,
  score,
  items: 5,
});

describe('trendSeries', () => {
  it('keeps finished, scored sessions per kind, oldest first', () => {
    const series = trendSeries({
      sessions: [
        row('c', 'mock', 3_000, 0.8),
        row('b', 'quick-fire', 2_000, 0.5),
        row('r', 'mock', 2_500, null, false),
        row('a', 'mock', 1_000, 0.4),
      ],
    });
    expect(series.mock.map((p) => p.atMs)).toEqual([1_000, 3_000]);
    expect(series['quick-fire']).toEqual([{ atMs: 2_000, score: 0.5 }]);
  });
});

describe('trendSentence', () => {
  const points = (...scores: number[]) => scores.map((score, i) => ({ atMs: i, score }));

  it('says nothing without a finished session', () => {
    expect(trendSentence('mock', [])).toBeNull();
  });

  it('names the latest score while there are too few sessions for a trend', () => {
    expect(trendSentence('mock', points(0.5, 0.75))).toBe(
      'Mock interviews: 2 finished, the latest scored 75\u00a0%.',
    );
  });

  it('compares the last three with the three before them', () => {
    expect(trendSentence('quick-fire', points(0.4, 0.5, 0.6, 0.6, 0.7, 0.8))).toBe(
      'Quick-fire rounds: 6 finished, the latest scored 80\u00a0%; the last three average 70\u00a0%, up 20 points on the three before.',
    );
    expect(trendSentence('mock', points(0.9, 0.5, 0.5, 0.5))).toContain('down 40 points on the three before');
  });
});
