import { describe, expect, it } from 'vitest';
import type { DrillCounts, DrillView } from '../../api/drills';
import { initialReviewState, reviewReducer, type ReviewState } from './review-state';

const T0_MS = Date.UTC(2026, 11, 3, 12, 0, 0);
const COUNTS: DrillCounts = { total: 3, new: 3, learning: 0, due: 0, known: 0, dueToday: 0 };

function drill(id: string): DrillView {
  return {
    id,
    kind: 'quick-fire',
    module: 'm',
    topics: ['t'],
    lesson: 'l',
    question: `Question ${id}?`,
    status: 'new',
    dueAtMs: null,
    answer: 'a',
    full: 'f',
    keyPoints: [],
    lessonTitle: 'L',
    output: null,
    next: { 1: T0_MS + 60_000, 2: T0_MS + 360_000, 3: T0_MS + 600_000, 4: T0_MS + 8 * 86_400_000 },
  };
}

const start = () => initialReviewState([drill('a'), drill('b'), drill('c')], COUNTS, T0_MS);
const ids = (state: ReviewState) => state.queue.map((c) => c.drill.id);
const run = (state: ReviewState, ...actions: Parameters<typeof reviewReducer>[1][]) =>
  actions.reduce(reviewReducer, state);

describe('reviewReducer', () => {
  it('grades only a revealed question, then shows the next one', () => {
    const s0 = start();
    expect(reviewReducer(s0, { type: 'grade', grade: 3 })).toBe(s0);
    const s1 = run(s0, { type: 'reveal' }, { type: 'grade', grade: 3 });
    expect(ids(s1)).toEqual(['b', 'c']);
    expect(s1.phase).toBe('question');
    expect(s1.graded.map((e) => [e.card.drill.id, e.grade])).toEqual([['a', 3]]);
    expect(s1.reviewed).toBe(1);
    expect(s1.shown).toBe(s0.shown + 1);
  });

  it('puts a question whose grade failed to save right after the one on screen', () => {
    const s1 = run(start(), { type: 'reveal' }, { type: 'grade', grade: 2 });
    const key = s1.graded[0]?.key as number;
    const s2 = reviewReducer(s1, { type: 'save-failed', key, message: 'offline' });
    expect(ids(s2)).toEqual(['b', 'a', 'c']);
    expect(s2.graded).toEqual([]);
    expect(s2.reviewed).toBe(0);
    expect(s2.shown).toBe(s1.shown); // the question on screen stays as it is
    expect(s2.error).toMatch(/not saved \(offline\)/);
  });

  it('undo brings the last graded question back at once; the server view then refreshes it', () => {
    const s1 = run(start(), { type: 'reveal' }, { type: 'grade', grade: 1 }, { type: 'reveal' });
    const s2 = reviewReducer(s1, { type: 'undo-local' });
    expect(ids(s2)).toEqual(['a', 'b', 'c']);
    expect(s2.phase).toBe('question');
    expect(s2.graded).toEqual([]);
    const fresh = { ...drill('a'), status: 'new' as const };
    const s3 = reviewReducer(s2, {
      type: 'undo-confirmed',
      drill: fresh,
      counts: COUNTS,
      receivedAtMs: T0_MS + 5,
    });
    expect(s3.queue[0]?.drill).toBe(fresh);
    expect(s3.queue[0]?.receivedAtMs).toBe(T0_MS + 5);
    expect(s3.shown).toBe(s2.shown); // same question on screen: typed answer and timer kept
  });

  it('an undo the server refused puts the grade back', () => {
    const s1 = run(start(), { type: 'reveal' }, { type: 'grade', grade: 4 });
    const entry = s1.graded[0];
    if (!entry) throw new Error('no graded entry');
    const s2 = reviewReducer(s1, { type: 'undo-local' });
    const s3 = reviewReducer(s2, { type: 'undo-failed', entry, message: 'conflict' });
    expect(ids(s3)).toEqual(['b', 'c']);
    expect(s3.graded).toEqual([entry]);
    expect(s3.error).toMatch(/not undone/);
  });

  it('an undo with no local grade shows what the server took back', () => {
    const s0 = initialReviewState([], COUNTS, T0_MS);
    const s1 = reviewReducer(s0, {
      type: 'undo-confirmed',
      drill: drill('z'),
      counts: COUNTS,
      receivedAtMs: T0_MS,
    });
    expect(ids(s1)).toEqual(['z']);
    expect(s1.phase).toBe('question');
  });
});
