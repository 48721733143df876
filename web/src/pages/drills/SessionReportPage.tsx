/**
 * /drills/sessions/:id: the report of a quick-fire round or mock interview. The overall score,
 * the weakest topics with the lessons to reread, then every part: the question, the learner's
 * grade or rubric scores against the key points, the answer, and the time it took.
 */
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { errorMessage } from '../../api/client';
import { drillsApi, type SessionItem, type SessionView } from '../../api/drills';
import { useLoad } from '../../api/load';
import { Loaded } from '../../components/States';
import { num, TableHead } from '../../views/TableHead';
import {
  FormError,
  PART_KINDS,
  Question,
  RecordedOutput,
  RevealedAnswer,
  SummaryFigures,
  WeakestTopics,
} from './SessionParts';
import { formatLimit, formatScore } from './session-clock';
import '../../styles/drill-sessions.css';

const GRADE_LABELS = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' } as const;
const SESSION_TITLES = { 'quick-fire': 'Quick-fire round', mock: 'Mock interview' } as const;

export default function SessionReportPage({ id }: { id: string }) {
  const [state, { reload, set }] = useLoad(`session:${id}`, (signal) => drillsApi.session(id, signal));
  return (
    <Loaded state={state} what="session" id={id} reload={reload} className="page page-narrow">
      {(session) => <Report session={session} onFinished={set} />}
    </Loaded>
  );
}

function Report({ session, onFinished }: { session: SessionView; onFinished: (view: SessionView) => void }) {
  const title = SESSION_TITLES[session.kind];
  const startedAt = new Date(session.startedAtMs);
  useEffect(() => {
    document.title = `${title} report — perflab`;
  }, [title]);
  return (
    <div className="page page-narrow session-report" data-testid="session-report" data-kind={session.kind}>
      <p className="breadcrumbs">
        <Link href="/drills">Interview prep</Link> / <Link href="/drills/history">History</Link> / Report
      </p>
      <h1>{title}</h1>
      <p className="muted">
        <time dateTime={startedAt.toISOString()}>
          {startedAt.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
        </time>{' '}
        · {session.items.length} {session.items.length === 1 ? 'part' : 'parts'}
      </p>
      {session.summary ? (
        <>
          <SummaryFigures summary={session.summary} parts={session.items.length} />
          <WeakestTopics summary={session.summary} />
        </>
      ) : (
        <Unfinished session={session} onFinished={onFinished} />
      )}
      <h2>Parts</h2>
      <ol className="report-parts">
        {session.items.map((item) => (
          <li key={item.index}>
            <ReportPart item={item} />
          </li>
        ))}
      </ol>
      <div className="button-row">
        <Link
          href={session.kind === 'mock' ? '/drills/mock' : '/drills/quick-fire'}
          className="button button-primary"
        >
          {session.kind === 'mock' ? 'Another mock interview' : 'Another round'}
        </Link>
        <Link href="/drills/history" className="button">
          History and trend
        </Link>
      </div>
    </div>
  );
}

/** A session still running: carry on with it, or end it here (unanswered parts count as timed out). */
function Unfinished({
  session,
  onFinished,
}: {
  session: SessionView;
  onFinished: (view: SessionView) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const end = () => {
    setBusy(true);
    drillsApi.finishSession(session.id).then(onFinished, (e: unknown) => {
      setBusy(false);
      setError(errorMessage(e));
    });
  };
  const page = session.kind === 'mock' ? '/drills/mock' : '/drills/quick-fire';
  return (
    <div className="card" role="note" data-testid="session-unfinished">
      <p>This session is not finished yet.</p>
      <div className="button-row">
        <Link href={`${page}?session=${encodeURIComponent(session.id)}`} className="button button-primary">
          Carry on
        </Link>
        <button type="button" className="button" onClick={end} disabled={busy}>
          End it now
        </button>
      </div>
      <FormError message={error} />
    </div>
  );
}

function ReportPart({ item }: { item: SessionItem }) {
  const titleId = `part-${item.index}`;
  return (
    <article className="report-part card" aria-labelledby={titleId} data-testid="report-part">
      <div className="part-head">
        <h3 id={titleId} className="part-title">
          {item.index + 1}. {PART_KINDS[item.kind]}
        </h3>
        <PartOutcome item={item} />
      </div>
      <Question source={item.question} />
      {item.kind === 'exercise' ? (
        <p>
          <Link href={`/exercises/${item.refId}`}>{item.title}</Link>:{' '}
          {item.solvedInTime ? (
            <span className="ok">solved within the time box</span>
          ) : (
            <span className="bad">no passing verification within the time box</span>
          )}
          .
        </p>
      ) : (
        <>
          {item.output && (
            <details className="report-output">
              <summary>The recorded output</summary>
              <RecordedOutput output={item.output} />
            </details>
          )}
          {item.answer !== null && (
            <RevealedAnswer answer={item.answer} full={item.full} keyPoints={item.keyPoints}>
              {item.rubric && item.keyPoints ? <RubricScores item={item} /> : undefined}
            </RevealedAnswer>
          )}
        </>
      )}
    </article>
  );
}

/** Grade or rubric total, and the time taken against the limit. */
function PartOutcome({ item }: { item: SessionItem }) {
  const taken =
    item.secondsTaken === null
      ? 'not answered'
      : `${Math.round(item.secondsTaken)} s of ${formatLimit(item.timeLimitSec)}`;
  const late = item.secondsTaken !== null && item.secondsTaken > item.timeLimitSec;
  let score: string | null = null;
  if (item.rubric) {
    const got = item.rubric.points.reduce((a, b) => a + b, 0) + item.rubric.communication;
    score = `${got} / ${2 * (item.rubric.points.length + 1)}`;
  } else if (item.grade !== null) score = GRADE_LABELS[item.grade];
  return (
    <span className="part-outcome">
      {score && (
        <span className="tag" data-testid="part-score">
          {score}
        </span>
      )}
      <span className={`small ${late ? 'warn' : 'muted'}`}>
        {taken}
        {late ? ' (over time)' : ''}
      </span>
    </span>
  );
}

/** Each key point with the learner's 0–2 score, then communication. */
function RubricScores({ item }: { item: SessionItem }) {
  const rubric = item.rubric;
  const points = item.keyPoints ?? [];
  if (!rubric) return null;
  const fraction =
    (rubric.points.reduce((a, b) => a + b, 0) + rubric.communication) / (2 * (rubric.points.length + 1));
  return (
    <>
      <h4>Key points and your scores ({formatScore(fraction)})</h4>
      <table className="rubric-table">
        <TableHead columns={['Key point', num('Score (0–2)')]} />
        <tbody>
          {points.map((point, i) => (
            <tr key={point}>
              <td>{point}</td>
              <td className="num mono">{rubric.points[i] ?? '—'}</td>
            </tr>
          ))}
          <tr>
            <td>Communication</td>
            <td className="num mono">{rubric.communication}</td>
          </tr>
        </tbody>
      </table>
    </>
  );
}
