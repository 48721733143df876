/**
 * Starting a mock interview: the whole course or one module, and optionally a debugging
 * exercise solved in the real workspace within a time box.
 */
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { drillsApi, type SessionView } from '../../api/drills';
import { useLoad } from '../../api/load';
import { ErrorMessage, Loading } from '../../components/States';
import { FormError } from './SessionParts';

export function MockSetup({ onStarted }: { onStarted: (session: SessionView) => void }) {
  const [list, { reload }] = useLoad('drill-list', (signal) => drillsApi.list({}, signal));
  const [module, setModule] = useState('');
  const [includeExercise, setIncludeExercise] = useState(false);
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  if (list.status === 'loading') return <Loading label="Loading the modules…" />;
  if (list.status === 'error')
    return <ErrorMessage error={list.error} title="The modules could not be loaded" retry={reload} />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setState({ busy: true, error: null });
    drillsApi
      .startMock({ includeExercise, ...(module ? { module } : {}) })
      .then(onStarted, (error: unknown) => setState({ busy: false, error: errorMessage(error) }));
  };

  return (
    <form className="session-setup card" onSubmit={submit} data-testid="mock-setup">
      <h2>How it runs</h2>
      <ol className="mock-shape">
        <li>Three quick-fire questions, 1 minute each.</li>
        <li>A scenario to reason through aloud, 8 minutes.</li>
        <li>Real profiler or timeit output to read, 6 minutes.</li>
        {includeExercise && <li>A debugging exercise in the workspace, within its time box.</li>}
      </ol>
      <p className="muted">
        Each part's answer stays hidden until its time is up. Then score your answer against the key points (0
        missed, 1 vague, 2 named and explained) and your communication; the score schedules the question's
        next review.
      </p>
      <label className="field">
        Questions from
        <select value={module} onChange={(e) => setModule(e.target.value)} data-testid="mock-module">
          <option value="">the whole course</option>
          {list.data.modules.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title}
            </option>
          ))}
        </select>
      </label>
      <label className="choice">
        <input
          type="checkbox"
          checked={includeExercise}
          onChange={(e) => setIncludeExercise(e.target.checked)}
          data-testid="mock-include-exercise"
        />{' '}
        Add a debugging exercise
      </label>
      <FormError message={state.error} />
      <div className="button-row">
        <button
          type="submit"
          className="button button-primary"
          disabled={state.busy}
          data-testid="start-mock"
        >
          {state.busy ? 'Starting…' : 'Start the interview'}
        </button>
      </div>
    </form>
  );
}
