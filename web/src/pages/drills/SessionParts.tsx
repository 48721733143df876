/**
 * Pieces the quick-fire round, the mock interview and their report share: a part's countdown,
 * its revealed answer, the recorded output of a code-reading part, and a finished session's
 * summary with the weakest topics and the lessons to reread.
 */
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { DrillOutput, SessionItem, SessionView } from '../../api/drills';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { Markdown } from '../../components/Markdown';
import { drillsApi } from '../../api/drills';
import { useLoad } from '../../api/load';
import { isNotFound, Loaded, Loading } from '../../components/States';
import { formatCountdown, formatLimit, formatScore } from './session-clock';
import '../../styles/drill-sessions.css';

// The profile views and Chart.js load only when a code-reading part is on screen.
const DrillOutputView = lazy(() => import('../../components/DrillOutputView'));

export const PART_KINDS: Record<SessionItem['kind'], string> = {
  'quick-fire': 'Quick-fire',
  scenario: 'Scenario',
  'code-reading': 'Code reading',
  exercise: 'Debugging exercise',
};

/**
 * The visible countdown of a running part. The digits are a timer (not announced each second);
 * the last 10 seconds and the end are announced once through the status line.
 */
export function Countdown({ remainingMs, limitSec }: { remainingMs: number; limitSec: number }) {
  const fraction = limitSec > 0 ? Math.min(1, remainingMs / (limitSec * 1000)) : 0;
  const urgent = remainingMs <= 10_000;
  const over = remainingMs <= 0;
  return (
    <div className={`countdown${urgent ? ' is-urgent' : ''}`} data-testid="countdown">
      <span className="countdown-digits mono" role="timer" aria-label="Time left">
        {formatCountdown(remainingMs)}
      </span>
      <span className="meter-bar countdown-bar" aria-hidden="true">
        <span className="meter-fill countdown-fill" style={{ width: `${fraction * 100}%` }} />
      </span>
      <span className="visually-hidden" role="status">
        {over ? 'Time is up.' : urgent ? '10 seconds left.' : ''}
      </span>
    </div>
  );
}

/**
 * Loads a session for a page that runs it. A remembered session the server no longer knows
 * calls `onStale` (the page then offers a new one); one named in the address gets the
 * not-found page.
 */
export function SessionLoader({
  id,
  what,
  onStale,
  children,
}: {
  id: string;
  what: string;
  onStale?: () => void;
  children: (session: SessionView) => ReactNode;
}) {
  const [state, { reload }] = useLoad(`session:${id}`, (signal) => drillsApi.session(id, signal));
  const stale = state.status === 'error' && isNotFound(state.error) && onStale !== undefined;
  useEffect(() => {
    if (stale) onStale?.();
  }, [stale, onStale]);
  if (stale) return <Loading />;
  return (
    <Loaded state={state} what={what} id={id} reload={reload} className="session-error">
      {children}
    </Loaded>
  );
}

/** A failure to show beside the control that caused it (null: nothing). */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="state state-error" role="alert">
      {message}
    </p>
  );
}

/** Ends a running session early; the parts not answered count as timed out. */
export function EndNow({ label, busy, onEnd }: { label: string; busy: boolean; onEnd: () => void }) {
  return (
    <div className="part-foot">
      <button type="button" className="button button-quiet button-small" onClick={onEnd} disabled={busy}>
        {label}
      </button>
    </div>
  );
}

/** A part's question (Markdown: questions quote code inline). */
export function Question({ source }: { source: string }) {
  return (
    <div className="part-question" data-testid="part-question">
      <Markdown source={source} />
    </div>
  );
}

/** A code-reading part's recorded profile or timeit output, loaded lazily. */
export function RecordedOutput({ output }: { output: DrillOutput }) {
  return (
    <ErrorBoundary what="The recorded output">
      <Suspense fallback={<Loading label="Loading the recorded output…" />}>
        <DrillOutputView output={output} />
      </Suspense>
    </ErrorBoundary>
  );
}

/** The short answer, the full one behind a disclosure, and the key points a strong answer names. */
export function RevealedAnswer({
  answer,
  full,
  keyPoints,
  children,
}: {
  answer: string;
  full: string | null;
  keyPoints: readonly string[] | null;
  /** Replaces the plain key-point list (the mock interview's rubric scores them). */
  children?: ReactNode;
}) {
  return (
    <section className="session-answer" aria-label="Answer" data-testid="session-answer">
      <h3>Answer</h3>
      <Markdown source={answer} />
      {full && full.trim() !== answer.trim() && (
        <details className="session-full">
          <summary>Full answer</summary>
          <Markdown source={full} />
        </details>
      )}
      {children ??
        (keyPoints && keyPoints.length > 0 && (
          <>
            <h4>Key points</h4>
            <ul className="key-points">
              {keyPoints.map((point) => (
                <li key={point}>{point}</li>
              ))}
            </ul>
          </>
        ))}
    </section>
  );
}

type Summary = NonNullable<SessionView['summary']>;

/** Overall score, parts answered in time, time taken. */
export function SummaryFigures({ summary, parts }: { summary: Summary; parts: number }) {
  return (
    <dl className="summary-figures" data-testid="session-summary">
      <div>
        <dt>Score</dt>
        <dd data-testid="session-score">{formatScore(summary.score)}</dd>
      </div>
      <div>
        <dt>Answered in time</dt>
        <dd>
          {summary.answered} of {parts}
        </dd>
      </div>
      <div>
        <dt>Time taken</dt>
        <dd>{formatLimit(Math.round(summary.totalSecondsTaken))}</dd>
      </div>
    </dl>
  );
}

/** The weakest topics first (at most `limit`), each with its score and the lessons to reread. */
export function WeakestTopics({ summary, limit = 5 }: { summary: Summary; limit?: number }) {
  const topics = summary.weakestTopics.slice(0, limit);
  if (topics.length === 0) return null;
  const lessons = uniqueLessons(topics.filter((t) => t.score < 1));
  return (
    <section className="weakest card" aria-labelledby="weakest-title" data-testid="weakest-topics">
      <h2 id="weakest-title">Weakest topics</h2>
      <ol className="topic-scores">
        {topics.map((topic) => (
          <li key={topic.topic} className="topic-score">
            <span className="topic-name">{topic.title}</span>
            <span className="meter-bar topic-meter" aria-hidden="true">
              <span className="meter-fill" style={{ width: `${topic.score * 100}%` }} />
            </span>
            <span className="mono">{formatScore(topic.score)}</span>
            <span className="muted small">
              {topic.asked} {topic.asked === 1 ? 'question' : 'questions'}
            </span>
          </li>
        ))}
      </ol>
      {lessons.length > 0 && (
        <>
          <h3>Lessons to reread</h3>
          <ul className="reread" data-testid="reread-lessons">
            {lessons.map((lesson) => (
              <li key={lesson.id}>
                <Link href={`/lessons/${lesson.id}`}>{lesson.title}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function uniqueLessons(topics: Summary['weakestTopics']) {
  const seen = new Map<string, { id: string; title: string }>();
  for (const topic of topics) for (const lesson of topic.lessons) seen.set(lesson.id, lesson);
  return [...seen.values()];
}
