/**
 * Review, Anki-style (/drills/review?module=&topic=): the question alone, an optional typed
 * answer, then the short answer (the full one expandable) and four self-grades, each saying
 * when the question comes back. Keys: Space shows the answer, 1–4 grade, U undoes the last
 * grade; Ctrl/⌘+Enter shows it from the typed answer, Esc leaves the typed answer.
 *
 * Grading is optimistic (./useReviewSession): the next question is on screen within the same
 * event (budget: ≤ 50 ms, docs/benchmarks.md) and the grade is saved in the background. The
 * page's JavaScript is budgeted too (≤ 120 KB gzipped with the entry): questions render
 * through the small DrillText, full answers and recorded outputs load when first shown.
 */
import { useEffect, useRef, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { drillsApi, type DrillGrade, type ReviewQueue } from '../../api/drills';
import { useLoad } from '../../api/load';
import { Empty, Loaded } from '../../components/States';
import { useCourseTitles } from '../../lib/course-titles';
import { intervalLabel } from '../../../../src/core/drills/interval-label.js';
import { DrillCountsList, preloadDrillOutput } from './drill-parts';
import { GRADES, ReviewCardView } from './ReviewCard';
import { useReviewSession, type ReviewSession } from './useReviewSession';

interface Filter {
  module?: string;
  topic?: string;
}

function useFilter(): Filter {
  const params = new URLSearchParams(useSearch());
  return { module: params.get('module') || undefined, topic: params.get('topic') || undefined };
}

export default function ReviewPage() {
  const filter = useFilter();
  const key = `review:${filter.module ?? ''}:${filter.topic ?? ''}`;
  const [queue, { reload }] = useLoad(key, async (signal) => ({
    queue: await drillsApi.reviewQueue(filter, signal),
    receivedAtMs: Date.now(),
  }));
  useEffect(() => {
    document.title = 'Review · Interview prep · perflab';
  }, []);
  return (
    <Loaded state={queue} what="review queue" id={key} reload={reload} className="page page-narrow">
      {(data) => (
        <ReviewSessionView key={key} filter={filter} initial={data.queue} receivedAtMs={data.receivedAtMs} />
      )}
    </Loaded>
  );
}

/** Where a key types text: digits and U belong to the field there, not to the page. */
const isTextEntry = (el: Element | null) =>
  el instanceof HTMLElement &&
  (el.isContentEditable ||
    /^(TEXTAREA|SELECT)$/.test(el.tagName) ||
    (el instanceof HTMLInputElement &&
      !/^(checkbox|radio|button|submit|reset|range|color|file)$/.test(el.type)));
/** Where Space already does something (presses, toggles, types): it must not also show the answer. */
const isControl = (el: Element | null) =>
  isTextEntry(el) || (el instanceof HTMLElement && /^(BUTTON|A|SUMMARY|INPUT)$/.test(el.tagName));

/** Plain text of a question for the screen-reader announcement (no code, at most ~160 chars). */
function spoken(question: string): string {
  const text = question
    .replace(/```[\s\S]*?(```|$)/g, ' (code) ')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function ReviewSessionView({
  filter,
  initial,
  receivedAtMs,
}: {
  filter: Filter;
  initial: ReviewQueue;
  receivedAtMs: number;
}) {
  const session = useReviewSession(initial, receivedAtMs);
  const titles = useCourseTitles();
  const { state } = session;
  const card = state.queue[0];
  const [typed, setTyped] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const shownAt = useRef(performance.now());
  const questionRef = useRef<HTMLElement>(null);
  const answerRef = useRef<HTMLElement>(null);
  // A new question (or the same one back after an undo) starts fresh: no typed answer, timer reset.
  const cardKey = card ? `${card.drill.id}:${state.shown}` : 'done';

  useEffect(() => {
    setTyped('');
    shownAt.current = performance.now();
    questionRef.current?.focus({ preventScroll: false });
  }, [cardKey]);

  useEffect(() => {
    if (state.phase === 'answer') answerRef.current?.focus();
  }, [state.phase, cardKey]);

  useEffect(() => {
    if (state.queue.slice(0, 2).some((c) => c.drill.output)) preloadDrillOutput();
  }, [state.queue]);

  const reveal = () => {
    if (state.phase !== 'question' || !card) return;
    session.reveal();
    setAnnouncement('Answer shown. Grade it: 1 Again, 2 Hard, 3 Good, 4 Easy.');
  };
  const grade = (value: DrillGrade) => {
    if (!card) return;
    if (!session.grade(value, typed, performance.now() - shownAt.current)) return;
    const next = state.queue[1];
    const name = GRADES[value - 1]?.name ?? '';
    const back = intervalLabel(card.drill.next[value], card.receivedAtMs);
    setAnnouncement(
      `${name}: back in ${back}. ${next ? `Next question: ${spoken(next.drill.question)}` : 'No more questions for now.'}`,
    );
  };
  const undo = () => {
    const last = state.graded.at(-1);
    session.undo();
    setAnnouncement(last ? `Grade undone: ${spoken(last.card.drill.question)}` : 'Undoing your last grade…');
  };

  // The page's keys, read at the window so they work wherever focus is on the page, except
  // where they would be typed (the typed answer) or would press a focused control (Space).
  const keys = useRef({ reveal, grade, undo });
  keys.current = { reveal, grade, undo };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.repeat || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = document.activeElement;
      if (event.key === ' ' && !isControl(target)) {
        event.preventDefault();
        keys.current.reveal();
      } else if (/^[1-4]$/.test(event.key) && !isTextEntry(target)) {
        event.preventDefault();
        keys.current.grade(Number(event.key) as DrillGrade);
      } else if ((event.key === 'u' || event.key === 'U') && !isTextEntry(target)) {
        event.preventDefault();
        keys.current.undo();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const total = state.reviewed + state.queue.length;
  return (
    <div className="page page-narrow drill-review" data-testid="drill-review">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/drills">Interview prep</Link> <span aria-hidden="true">›</span> <span>Review</span>
      </nav>
      <header className="drill-review-header">
        <h1>
          Review{filter.module ? `: ${titles?.modules[filter.module] ?? filter.module}` : ''}
          {filter.topic ? ` · ${filter.topic}` : ''}
        </h1>
        <DrillCountsList counts={state.counts} label="Your questions" />
        <p className="small muted" data-testid="review-progress">
          {card ? `Question ${state.reviewed + 1} of ${total}` : `${state.reviewed} reviewed`} ·{' '}
          {state.reviewed} graded this session
        </p>
      </header>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="review-announcement">
        {announcement}
      </p>
      {state.error && (
        <div className="state state-error" role="alert" data-testid="review-error">
          <p>{state.error}</p>
          <button type="button" className="button button-small" onClick={session.dismissError}>
            Dismiss
          </button>
        </div>
      )}
      {card ? (
        <ReviewCardView
          key={cardKey}
          card={card}
          phase={state.phase}
          typed={typed}
          setTyped={setTyped}
          reveal={reveal}
          grade={grade}
          questionRef={questionRef}
          answerRef={answerRef}
        />
      ) : (
        <DoneView session={session} filter={filter} questionRef={questionRef} />
      )}
      <p className="drill-keys small muted" aria-hidden="true">
        <kbd>Space</kbd> show answer · <kbd>1</kbd>–<kbd>4</kbd> grade · <kbd>U</kbd> undo · <kbd>Ctrl</kbd>+
        <kbd>Enter</kbd> show answer while typing
      </p>
      {state.graded.length > 0 && (
        <p>
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={undo}
            aria-keyshortcuts="U"
            data-testid="undo-button"
          >
            Undo last grade <kbd className="shortcut">U</kbd>
          </button>
        </p>
      )}
    </div>
  );
}

function DoneView({
  session,
  filter,
  questionRef,
}: {
  session: ReviewSession;
  filter: Filter;
  questionRef: React.RefObject<HTMLElement | null>;
}) {
  const { counts } = session.state;
  const [checking, setChecking] = useState(false);
  const later = counts.dueToday - counts.due;
  return (
    <section className="card drill-done" data-testid="review-done" aria-labelledby="review-done-title">
      <h2
        id="review-done-title"
        ref={(heading) => {
          questionRef.current = heading;
        }}
        tabIndex={-1}
      >
        No more questions for now
      </h2>
      <Empty>
        {session.state.reviewed > 0 ? `You graded ${session.state.reviewed} this session. ` : ''}
        {later > 0 ? `${later} more come back later today.` : 'Nothing else is due today.'}
      </Empty>
      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={checking}
          onClick={() => {
            setChecking(true);
            void session.reload(filter).finally(() => setChecking(false));
          }}
        >
          {checking ? 'Checking…' : 'Check for questions due now'}
        </button>
        <Link href="/drills" className="button button-primary">
          Back to interview prep
        </Link>
      </div>
    </section>
  );
}
