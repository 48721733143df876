/**
 * Interview prep (/drills): the course's interview questions by module and topic, with the
 * learner's state of each (new, learning, due, known) and what is due today; the ways in
 * (review, browse, quick-fire round, mock interview, history) and the target retention.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { errorMessage } from '../../api/client';
import { drillsApi, type DrillList, type DrillSettings, type DrillSummary } from '../../api/drills';
import { useLoad } from '../../api/load';
import { Empty, ErrorMessage, Loading } from '../../components/States';
import { dueText } from '../../lib/drill-time';
import { questionHeadline } from '../../lib/drill-text';
import { DrillCountsList, DrillKindBadge, DrillStatusBadge } from './drill-parts';

export default function DrillsHome() {
  const [list, { reload, set }] = useLoad('drills', (signal) => drillsApi.list({}, signal));
  useEffect(() => {
    document.title = 'Interview prep · perflab';
  }, []);
  if (list.status === 'loading') return <Loading label="Loading the interview questions…" />;
  if (list.status === 'error')
    return (
      <section className="page">
        <ErrorMessage error={list.error} title="The interview questions could not be loaded" retry={reload} />
      </section>
    );
  const data = list.data;
  return <DrillsIndex list={data} onSettings={(settings) => set({ ...data, settings })} nowMs={Date.now()} />;
}

function DrillsIndex({
  list,
  onSettings,
  nowMs,
}: {
  list: DrillList;
  onSettings: (settings: DrillSettings) => void;
  nowMs: number;
}) {
  const { counts } = list;
  const toReview = counts.due + Math.min(counts.new, 10);
  return (
    <div className="page drills-home" data-testid="drills-home">
      <section className="course-intro">
        <h1>Interview prep</h1>
        <p className="lede">
          {counts.total} interview questions on Python performance, concurrency and testing. Answer each in
          your head or in writing, then grade yourself: questions come back just before you would forget them.
        </p>
        <DrillCountsList counts={counts} label="All your questions" />
        <div className="button-row drills-actions">
          <Link href="/drills/review" className="button button-primary" data-testid="review-due-link">
            {counts.due > 0 ? `Review ${counts.due} due` : toReview > 0 ? 'Start reviewing' : 'Review'}
          </Link>
          <Link href="/drills/quick-fire" className="button">
            Quick-fire round
          </Link>
          <Link href="/drills/mock" className="button">
            Mock interview
          </Link>
          <Link href="/drills/history" className="button button-quiet">
            History
          </Link>
        </div>
      </section>
      {list.modules.length === 0 && <Empty>This course has no interview questions yet.</Empty>}
      <ol className="modules">
        {list.modules.map((module, index) => (
          <DrillModule
            key={module.id}
            number={index + 1}
            module={module}
            topics={list.topics.filter((t) => t.module === module.id)}
            drills={list.drills.filter((d) => d.module === module.id)}
            nowMs={nowMs}
          />
        ))}
      </ol>
      <RetentionSetting settings={list.settings} onSaved={onSettings} />
    </div>
  );
}

function DrillModule({
  number,
  module,
  topics,
  drills,
  nowMs,
}: {
  number: number;
  module: DrillList['modules'][number];
  topics: DrillList['topics'];
  drills: DrillSummary[];
  nowMs: number;
}) {
  const review = `/drills/review?module=${encodeURIComponent(module.id)}`;
  return (
    <li className="module card drill-module" data-testid="drill-module" data-module={module.id}>
      <h2>
        <span className="module-number">Module {number}</span> {module.title}
      </h2>
      <DrillCountsList counts={module.counts} label={`Questions of ${module.title}`} />
      <div className="button-row">
        <Link href={review} className="button button-small button-primary">
          Review<span className="visually-hidden"> {module.title}</span>
        </Link>
        <Link
          href={`/drills/browse/${encodeURIComponent(module.id)}`}
          className="button button-small"
          data-testid="browse-link"
        >
          Browse all {module.counts.total}
          <span className="visually-hidden"> questions of {module.title}</span>
        </Link>
      </div>
      {topics.length > 0 && (
        <section aria-label={`Topics of ${module.title}`}>
          <h3 className="panel-label">Review one topic</h3>
          <ul className="drill-topics">
            {topics.map((topic) => {
              const due = drills.filter((d) => d.status === 'due' && d.topics.includes(topic.id)).length;
              return (
                <li key={topic.id}>
                  <Link href={`${review}&topic=${encodeURIComponent(topic.id)}`} className="drill-topic">
                    {topic.title}
                  </Link>{' '}
                  <span className="muted small">
                    {topic.count} {topic.count === 1 ? 'question' : 'questions'}
                    {due > 0 ? `, ${due} due` : ''}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <details className="drill-states">
        <summary>Your state of each question</summary>
        <ul className="item-list">
          {drills.map((drill) => (
            <li
              key={drill.id}
              className="item drill-state-item"
              data-testid="drill-state"
              data-status={drill.status}
            >
              <span>{questionHeadline(drill.question)}</span>
              <span className="item-meta">
                <DrillKindBadge kind={drill.kind} />
                <DrillStatusBadge status={drill.status} />
                <span className="muted small">{dueText(drill.dueAtMs, nowMs)}</span>
              </span>
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}

function RetentionSetting({
  settings,
  onSaved,
}: {
  settings: DrillSettings;
  onSaved: (settings: DrillSettings) => void;
}) {
  const id = useId();
  const [percent, setPercent] = useState(String(Math.round(settings.targetRetention * 100)));
  const [state, setState] = useState<
    { kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }
  >({
    kind: 'idle',
  });
  const value = Number(percent);
  const valid = Number.isInteger(value) && value >= 70 && value <= 97;
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setState({ kind: 'saving' });
    drillsApi.saveSettings({ targetRetention: value / 100 }).then(
      (saved) => {
        setState({ kind: 'saved' });
        onSaved(saved);
      },
      (error: unknown) => setState({ kind: 'error', message: errorMessage(error) }),
    );
  };
  return (
    <section className="card drill-settings" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Scheduling</h2>
      <form onSubmit={save} className="drill-settings-form">
        <label htmlFor={`${id}-retention`}>Target retention</label>
        <span className="drill-settings-input">
          <input
            id={`${id}-retention`}
            type="number"
            min={70}
            max={97}
            step={1}
            value={percent}
            aria-describedby={`${id}-help`}
            aria-invalid={!valid}
            onChange={(event) => {
              setPercent(event.target.value);
              setState({ kind: 'idle' });
            }}
            data-testid="target-retention"
          />
          <span aria-hidden="true">%</span>
        </span>
        <button type="submit" className="button button-small" disabled={!valid || state.kind === 'saving'}>
          {state.kind === 'saving' ? 'Saving…' : 'Save'}
        </button>
      </form>
      <p id={`${id}-help`} className="small muted">
        How likely you should still recall an answer when it comes back, 70–97 %. Higher means shorter
        intervals and more reviews; 90 % is FSRS&apos;s default.
      </p>
      <p className="small" role="status" aria-live="polite">
        {state.kind === 'saved' && (
          <span className="ok">Saved: questions are now scheduled for {percent} %.</span>
        )}
        {state.kind === 'error' && <span className="bad">Not saved: {state.message}</span>}
        {!valid && <span className="bad">Enter a whole number from 70 to 97.</span>}
      </p>
    </section>
  );
}
