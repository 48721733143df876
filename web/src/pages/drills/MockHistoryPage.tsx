/**
 * /drills/history: past mock interviews and quick-fire rounds, newest first, with the trend of
 * their scores over time (Chart.js through views/use-chart, loaded only with this page) and
 * the same numbers as a table.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { drillsApi, type SessionHistory } from '../../api/drills';
import { useLoad } from '../../api/load';
import { Empty, ErrorMessage, Loading } from '../../components/States';
import { num, TableHead } from '../../views/TableHead';
import { useChart } from '../../views/use-chart';
import { KIND_LABELS, trendConfig, trendSentence, trendSeries } from './history-trend';
import { formatScore } from './session-clock';
import '../../styles/drill-sessions.css';

type KindFilter = 'all' | 'mock' | 'quick-fire';
const FILTERS: readonly { id: KindFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'mock', label: 'Mock interviews' },
  { id: 'quick-fire', label: 'Quick-fire rounds' },
];

export default function MockHistoryPage() {
  const [history, { reload }] = useLoad('drill-history', (signal) =>
    drillsApi.sessions({ limit: 200 }, signal),
  );
  const [filter, setFilter] = useState<KindFilter>('all');
  useEffect(() => {
    document.title = 'Interview prep history — perflab';
  }, []);
  return (
    <div className="page page-narrow drill-history" data-testid="drill-history">
      <p className="breadcrumbs">
        <Link href="/drills">Interview prep</Link> / History
      </p>
      <h1>History</h1>
      {history.status === 'loading' && <Loading label="Loading your sessions…" />}
      {history.status === 'error' && (
        <ErrorMessage error={history.error} title="Your sessions could not be loaded" retry={reload} />
      )}
      {history.status === 'ready' &&
        (history.data.sessions.length === 0 ? (
          <Empty>
            No sessions yet. Try a <Link href="/drills/quick-fire">quick-fire round</Link> or a{' '}
            <Link href="/drills/mock">mock interview</Link>.
          </Empty>
        ) : (
          <>
            <Trend history={history.data} />
            <div className="segmented" role="group" aria-label="Show">
              {FILTERS.map((f) => (
                <button
                  key={f.id}
                  type="button"
                  className={`button button-small${filter === f.id ? ' is-selected' : ''}`}
                  aria-pressed={filter === f.id}
                  onClick={() => setFilter(f.id)}
                >
                  {f.label}
                </button>
              ))}
            </div>
            <SessionTable history={history.data} filter={filter} />
          </>
        ))}
    </div>
  );
}

function Trend({ history }: { history: SessionHistory }) {
  const series = useMemo(() => trendSeries(history), [history]);
  const sentences = (['mock', 'quick-fire'] as const)
    .map((kind) => trendSentence(kind, series[kind]))
    .filter((s): s is string => s !== null);
  const { canvasRef, state } = useChart((palette) => trendConfig(series, palette), series);
  if (sentences.length === 0) return <p className="muted">Finish a session to see your trend.</p>;
  const summary = sentences.join(' ');
  return (
    <figure className="trend card" data-testid="history-trend">
      <figcaption>
        {sentences.map((s) => (
          <p key={s}>{s}</p>
        ))}
      </figcaption>
      <div className="trend-chart">
        <canvas ref={canvasRef} role="img" aria-label={`Chart of scores over time. ${summary}`}>
          {summary}
        </canvas>
        {state === 'failed' && (
          <p className="muted">The chart could not be loaded; the table has the scores.</p>
        )}
      </div>
    </figure>
  );
}

function SessionTable({ history, filter }: { history: SessionHistory; filter: KindFilter }) {
  const rows = history.sessions.filter((s) => filter === 'all' || s.kind === filter);
  if (rows.length === 0) return <Empty>None of this kind yet.</Empty>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Past sessions">
      <table className="history-table" data-testid="history-table">
        <TableHead columns={['When', 'Kind', num('Parts'), num('Score')]} />
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} data-testid="history-row">
              <th scope="row">
                <Link href={`/drills/sessions/${encodeURIComponent(s.id)}`}>
                  {new Date(s.startedAtMs).toLocaleString(undefined, {
                    dateStyle: 'medium',
                    timeStyle: 'short',
                  })}
                </Link>
              </th>
              <td>{KIND_LABELS[s.kind].replace(/s$/, '')}</td>
              <td className="num mono">{s.items}</td>
              <td className="num mono">
                {s.finishedAtMs === null ? (
                  <span className="muted not-finished">not finished</span>
                ) : s.score === null ? (
                  '—'
                ) : (
                  formatScore(s.score)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
