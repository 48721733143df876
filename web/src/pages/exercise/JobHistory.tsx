/** The exercise's job history: each run, profile and verification, newest first; click to show it. */
import type { JobSummary } from '../../api/types';
import { Empty, Loading } from '../../components/States';
import { timeAgo } from '../../lib/format';
import { historyOutcome, KIND_LABEL } from './history';

export function JobHistory({
  jobs,
  error,
  current,
  onSelect,
}: {
  jobs: JobSummary[] | null;
  error: string | null;
  current: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <section className="card history" aria-labelledby="history-title" data-testid="job-history">
      <h2 id="history-title">History</h2>
      {error && <p className="bad small">The history could not be loaded: {error}</p>}
      {jobs === null && !error && <Loading label="Loading the history…" />}
      {jobs !== null && jobs.length === 0 && <Empty>Nothing has run yet.</Empty>}
      {jobs !== null && jobs.length > 0 && (
        <ol className="history-list">
          {jobs.map((job) => {
            const outcome = historyOutcome(job);
            return (
              <li key={job.id}>
                <button
                  type="button"
                  className={`history-item${job.id === current ? ' is-current' : ''}`}
                  onClick={() => onSelect(job.id)}
                  aria-current={job.id === current ? 'true' : undefined}
                  data-testid="history-item"
                >
                  <span className="history-kind">{KIND_LABEL[job.kind] ?? job.kind}</span>
                  <span className={`history-state state-${outcome}`}>{outcome}</span>
                  <span className="history-message">{job.message ?? ''}</span>
                  <time className="history-time muted" dateTime={new Date(job.createdAt).toISOString()}>
                    {timeAgo(job.createdAt)}
                  </time>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
