/**
 * A review session's actions over the pure reducer (./review-state): grade shows the next
 * question in the same event and saves in the background; every request goes through one
 * chain, so an undo reaches the server after the grade it takes back.
 */
import { useCallback, useReducer, useRef } from 'react';
import { errorMessage } from '../../api/client';
import { drillsApi, type DrillGrade, type ReviewQueue } from '../../api/drills';
import { initialReviewState, reviewReducer, type GradedEntry, type ReviewState } from './review-state';

export interface ReviewSession {
  state: ReviewState;
  reveal(): void;
  /** Returns false when there was nothing to grade (no question, or the answer not shown). */
  grade(grade: DrillGrade, typedAnswer: string, durationMs: number): boolean;
  undo(): void;
  /** Fetches the queue again (questions whose learning step has passed come back). */
  reload(filter: { module?: string; topic?: string }): Promise<void>;
  dismissError(): void;
  /** Resolves when every request sent so far has settled (tests, the bench, leaving the page). */
  settled(): Promise<void>;
}

/**
 * Resolves once the browser has painted the next frame (or after 100 ms, as rAF does not run in
 * a hidden tab). Grades are sent after the next question is on screen: in local mode the server
 * shares the machine's CPUs with the browser, and its work (the write, the scheduler, the counts)
 * would otherwise compete with the paint the learner is waiting for.
 */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }),
    );
  });
}

export function useReviewSession(initial: ReviewQueue, receivedAtMs: number): ReviewSession {
  const [state, dispatch] = useReducer(reviewReducer, undefined, () =>
    initialReviewState(initial.drills, initial.counts, receivedAtMs),
  );
  // The reducer state as of the last render, for handlers that must decide synchronously.
  const current = useRef(state);
  current.current = state;
  const chain = useRef<Promise<void>>(Promise.resolve());
  const enqueue = useCallback((work: () => Promise<void>) => {
    chain.current = chain.current.then(work, work);
  }, []);

  const reveal = useCallback(() => dispatch({ type: 'reveal' }), []);

  const grade = useCallback(
    (value: DrillGrade, typedAnswer: string, durationMs: number) => {
      const before = current.current;
      const card = before.queue[0];
      if (!card || before.phase !== 'answer') return false;
      const key = before.nextKey;
      dispatch({ type: 'grade', grade: value });
      const body = {
        grade: value,
        durationMs: Math.max(0, Math.round(durationMs)),
        ...(typedAnswer.trim() ? { typedAnswer } : {}),
      };
      enqueue(() =>
        afterNextPaint()
          .then(() => drillsApi.review(card.drill.id, body))
          .then(
            (result) => dispatch({ type: 'saved', key, counts: result.counts }),
            (error: unknown) => dispatch({ type: 'save-failed', key, message: errorMessage(error) }),
          ),
      );
      return true;
    },
    [enqueue],
  );

  const undo = useCallback(() => {
    const entry: GradedEntry | undefined = current.current.graded.at(-1);
    if (entry) dispatch({ type: 'undo-local' });
    enqueue(() =>
      drillsApi.undo().then(
        (result) => dispatch({ type: 'undo-confirmed', ...result, receivedAtMs: Date.now() }),
        (error: unknown) =>
          dispatch(
            entry
              ? { type: 'undo-failed', entry, message: errorMessage(error) }
              : { type: 'failed', message: `Nothing was undone (${errorMessage(error)}).` },
          ),
      ),
    );
  }, [enqueue]);

  const reload = useCallback(async (filter: { module?: string; topic?: string }) => {
    await chain.current;
    try {
      const queue = await drillsApi.reviewQueue(filter);
      dispatch({ type: 'reload', drills: queue.drills, counts: queue.counts, receivedAtMs: Date.now() });
    } catch (error) {
      dispatch({ type: 'failed', message: `The review queue could not be loaded (${errorMessage(error)}).` });
    }
  }, []);

  const dismissError = useCallback(() => dispatch({ type: 'dismiss-error' }), []);
  const settled = useCallback(() => chain.current, []);

  return { state, reveal, grade, undo, reload, dismissError, settled };
}
