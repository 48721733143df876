/**
 * A review session's state, as a pure reducer (unit-tested without a DOM). Grading is
 * optimistic: the next question is on screen in the same event, the grade is saved in the
 * background, and a failed save puts the question back in the queue. Undo takes back the
 * newest local grade at once and asks the server to do the same.
 *
 * Invariants: `queue[0]` is the question on screen; `graded` is newest last and holds only
 * grades not yet known to have failed; `entry.key` is unique in a session.
 */
import type { DrillCounts, DrillGrade, DrillView } from '../../api/drills';

export interface ReviewCard {
  drill: DrillView;
  /** When this view of the drill arrived (ms, the page's clock): its `next` times were computed then. */
  receivedAtMs: number;
}

export interface GradedEntry {
  key: number;
  card: ReviewCard;
  grade: DrillGrade;
}

export interface ReviewState {
  queue: ReviewCard[];
  phase: 'question' | 'answer';
  graded: GradedEntry[];
  counts: DrillCounts;
  /** Questions graded this session (undo takes one back). */
  reviewed: number;
  /** The last failure, for an alert; cleared by the next successful action. */
  error: string | null;
  nextKey: number;
  /** Counts the times a question came on screen: a new value is a fresh start (typed answer, timer, focus). */
  shown: number;
}

export type ReviewAction =
  | { type: 'reveal' }
  | { type: 'grade'; grade: DrillGrade }
  | { type: 'saved'; key: number; counts: DrillCounts }
  | { type: 'save-failed'; key: number; message: string }
  | { type: 'undo-local' }
  | { type: 'undo-confirmed'; drill: DrillView | null; counts: DrillCounts; receivedAtMs: number }
  | { type: 'undo-failed'; entry: GradedEntry; message: string }
  | { type: 'reload'; drills: DrillView[]; counts: DrillCounts; receivedAtMs: number }
  | { type: 'failed'; message: string }
  | { type: 'dismiss-error' };

export function initialReviewState(
  drills: DrillView[],
  counts: DrillCounts,
  receivedAtMs: number,
): ReviewState {
  return {
    queue: drills.map((drill) => ({ drill, receivedAtMs })),
    phase: 'question',
    graded: [],
    counts,
    reviewed: 0,
    error: null,
    nextKey: 1,
    shown: 1,
  };
}

/** Puts `card` right after the question on screen (or on screen when the queue is empty). */
function requeue(queue: ReviewCard[], card: ReviewCard): ReviewCard[] {
  const rest = queue.filter((c) => c.drill.id !== card.drill.id);
  return rest.length === 0 ? [card] : [rest[0] as ReviewCard, card, ...rest.slice(1)];
}

export function reviewReducer(state: ReviewState, action: ReviewAction): ReviewState {
  switch (action.type) {
    case 'reveal':
      return state.queue.length === 0 ? state : { ...state, phase: 'answer' };
    case 'grade': {
      const [card, ...rest] = state.queue;
      if (!card || state.phase !== 'answer') return state;
      const entry: GradedEntry = { key: state.nextKey, card, grade: action.grade };
      return {
        ...state,
        queue: rest,
        phase: 'question',
        graded: [...state.graded, entry],
        reviewed: state.reviewed + 1,
        nextKey: state.nextKey + 1,
        shown: state.shown + 1,
        error: null,
      };
    }
    case 'saved':
      return { ...state, counts: action.counts };
    case 'save-failed': {
      const entry = state.graded.find((e) => e.key === action.key);
      if (!entry) return state;
      return {
        ...state,
        graded: state.graded.filter((e) => e.key !== action.key),
        queue: requeue(state.queue, entry.card),
        shown: state.queue.length === 0 ? state.shown + 1 : state.shown,
        reviewed: Math.max(0, state.reviewed - 1),
        error: `Your grade for “${entry.card.drill.question.slice(0, 80)}” was not saved (${action.message}). The question is back in the queue.`,
      };
    }
    case 'undo-local': {
      const entry = state.graded[state.graded.length - 1];
      if (!entry) return state;
      return {
        ...state,
        graded: state.graded.slice(0, -1),
        queue: [entry.card, ...state.queue.filter((c) => c.drill.id !== entry.card.drill.id)],
        phase: 'question',
        reviewed: Math.max(0, state.reviewed - 1),
        shown: state.shown + 1,
        error: null,
      };
    }
    case 'undo-confirmed': {
      const { drill } = action;
      if (!drill) return { ...state, counts: action.counts };
      // The server's view of the question after the undo: fresh "comes back" times.
      const fresh: ReviewCard = { drill, receivedAtMs: action.receivedAtMs };
      const rest = state.queue.filter((c) => c.drill.id !== drill.id);
      const onScreen = state.queue[0]?.drill.id === drill.id;
      return {
        ...state,
        counts: action.counts,
        queue: [fresh, ...rest],
        phase: onScreen ? state.phase : 'question',
        shown: onScreen ? state.shown : state.shown + 1,
      };
    }
    case 'undo-failed': {
      const front = state.queue[0];
      const untouched = front?.drill.id === action.entry.card.drill.id && state.phase === 'question';
      return {
        ...state,
        queue: untouched ? state.queue.slice(1) : state.queue,
        shown: untouched ? state.shown + 1 : state.shown,
        graded: untouched ? [...state.graded, action.entry] : state.graded,
        reviewed: untouched ? state.reviewed + 1 : state.reviewed,
        error: `The grade was not undone (${action.message}).`,
      };
    }
    case 'reload':
      return {
        ...state,
        queue: action.drills.map((drill) => ({ drill, receivedAtMs: action.receivedAtMs })),
        counts: action.counts,
        phase: 'question',
        shown: state.shown + 1,
        error: null,
      };
    case 'failed':
      return { ...state, error: action.message };
    case 'dismiss-error':
      return { ...state, error: null };
  }
}
