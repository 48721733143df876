/**
 * Choosing a quick-fire round: a module (say "Tests and logs") or hand-picked topics, how many
 * questions (default 30) and the seconds per question (default 60).
 */
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { drillsApi, type DrillList, type QuickFireBody, type SessionView } from '../../api/drills';
import { useLoad } from '../../api/load';
import { ErrorMessage, Loading } from '../../components/States';
import { FormError } from './SessionParts';

/** The round the issue names first: testing and logging. */
const PREFERRED_MODULE = '04-tests-and-logs';
const SECONDS_CHOICES = [10, 20, 30, 45, 60, 90, 120, 180];

export function QuickFireSetup({
  preset,
  onStarted,
}: {
  /** From the address: `?module=` or `?topic=` preselects the set. */
  preset: { module?: string; topic?: string };
  onStarted: (session: SessionView) => void;
}) {
  const [list, { reload }] = useLoad('drill-list', (signal) => drillsApi.list({}, signal));
  if (list.status === 'loading') return <Loading label="Loading the questions…" />;
  if (list.status === 'error')
    return <ErrorMessage error={list.error} title="The questions could not be loaded" retry={reload} />;
  return <SetupForm list={list.data} preset={preset} onStarted={onStarted} />;
}

function SetupForm({
  list,
  preset,
  onStarted,
}: {
  list: DrillList;
  preset: { module?: string; topic?: string };
  onStarted: (session: SessionView) => void;
}) {
  const firstModule =
    list.modules.find((m) => m.id === preset.module)?.id ??
    list.modules.find((m) => m.id === PREFERRED_MODULE)?.id ??
    list.modules[0]?.id ??
    '';
  const [from, setFrom] = useState<'module' | 'topics'>(preset.topic ? 'topics' : 'module');
  const [module, setModule] = useState(firstModule);
  const [topics, setTopics] = useState<string[]>(preset.topic ? [preset.topic] : []);
  // Kept as typed, so the field can be cleared and retyped; read as a number 1..100 on submit.
  const [countText, setCountText] = useState('30');
  const count = Number(countText);
  const [seconds, setSeconds] = useState(60);
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  // A round draws quick-fire questions only (scenarios and code reading belong to the mock).
  const available = quickFireCount(list, (d) =>
    from === 'module' ? d.module === module : d.topics.some((t) => topics.includes(t)),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      setState({ busy: false, error: 'Ask for 1 to 100 questions.' });
      return;
    }
    if (from === 'topics' && topics.length === 0) {
      setState({ busy: false, error: 'Choose at least one topic.' });
      return;
    }
    const body: QuickFireBody = {
      count,
      secondsPerQuestion: seconds,
      ...(from === 'module' ? { module } : { topics }),
    };
    setState({ busy: true, error: null });
    drillsApi
      .startQuickFire(body)
      .then(onStarted, (error: unknown) => setState({ busy: false, error: errorMessage(error) }));
  };

  const toggleTopic = (id: string, on: boolean) =>
    setTopics((current) => (on ? [...current, id] : current.filter((t) => t !== id)));

  return (
    <form className="session-setup card" onSubmit={submit} data-testid="quick-fire-setup">
      <fieldset className="choice-group">
        <legend>Draw the questions from</legend>
        <label className="choice">
          <input type="radio" name="from" checked={from === 'module'} onChange={() => setFrom('module')} /> a
          module
        </label>
        <label className="choice">
          <input type="radio" name="from" checked={from === 'topics'} onChange={() => setFrom('topics')} />{' '}
          topics I pick
        </label>
      </fieldset>
      {from === 'module' ? (
        <label className="field">
          Module
          <select value={module} onChange={(e) => setModule(e.target.value)} data-testid="quick-fire-module">
            {list.modules.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title} ({quickFireCount(list, (d) => d.module === m.id)} questions)
              </option>
            ))}
          </select>
        </label>
      ) : (
        <TopicPicker list={list} chosen={topics} onToggle={toggleTopic} />
      )}
      <div className="setup-numbers">
        <label className="field">
          Questions
          <input
            type="number"
            min={1}
            max={100}
            required
            value={countText}
            onChange={(e) => setCountText(e.target.value)}
            data-testid="quick-fire-count"
          />
        </label>
        <label className="field">
          Seconds per question
          <select
            value={seconds}
            onChange={(e) => setSeconds(Number(e.target.value))}
            data-testid="quick-fire-seconds"
          >
            {SECONDS_CHOICES.map((s) => (
              <option key={s} value={s}>
                {s} s
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">
        {available} quick-fire {available === 1 ? 'question' : 'questions'} in this set
        {available < count ? `: the round will have ${available}.` : '.'} Space reveals the answer, 1–4 grade
        it.
      </p>
      <FormError message={state.error} />
      <button
        type="submit"
        className="button button-primary"
        disabled={state.busy || available === 0}
        data-testid="start-quick-fire"
      >
        {state.busy ? 'Starting…' : 'Start the round'}
      </button>
    </form>
  );
}

const quickFireCount = (list: DrillList, where: (drill: DrillList['drills'][number]) => boolean) =>
  list.drills.filter((d) => d.kind === 'quick-fire' && where(d)).length;

function TopicPicker({
  list,
  chosen,
  onToggle,
}: {
  list: DrillList;
  chosen: readonly string[];
  onToggle: (id: string, on: boolean) => void;
}) {
  return (
    <div className="topic-picker">
      {list.modules.map((m) => {
        // Only topics with quick-fire questions can be drawn from.
        const topics = list.topics.filter(
          (t) => t.module === m.id && quickFireCount(list, (d) => d.topics.includes(t.id)) > 0,
        );
        if (topics.length === 0) return null;
        return (
          <fieldset key={m.id} className="choice-group">
            <legend>{m.title}</legend>
            {topics.map((t) => (
              <label key={t.id} className="choice">
                <input
                  type="checkbox"
                  checked={chosen.includes(t.id)}
                  onChange={(e) => onToggle(t.id, e.target.checked)}
                />{' '}
                {t.title}{' '}
                <span className="muted small">({quickFireCount(list, (d) => d.topics.includes(t.id))})</span>
              </label>
            ))}
          </fieldset>
        );
      })}
    </div>
  );
}
