/**
 * Questions as a list whose answers expand on click (details/summary): the browse page and a
 * lesson's "Test yourself". A question's answers are fetched the first time it is opened
 * (the list itself carries no answers), and each links to the lesson that teaches it.
 */
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { drillsApi, type DrillSummary, type DrillView } from '../../api/drills';
import { ErrorMessage, Loading } from '../../components/States';
import { useCourseTitles } from '../../lib/course-titles';
import { DrillText, drillBlocks, questionHeadline } from '../../lib/drill-text';
import { DrillKindBadge, DrillStatusBadge, KeyPoints, LazyDrillOutput, LazyMarkdown } from './drill-parts';

/** One request per question per page load, shared by every list that opens it. */
const views = new Map<string, Promise<DrillView>>();

function loadView(id: string): Promise<DrillView> {
  let pending = views.get(id);
  if (!pending) {
    pending = drillsApi.drill(id);
    views.set(id, pending);
    pending.catch(() => views.delete(id));
  }
  return pending;
}

export function DrillAnswerList({
  drills,
  showLesson = true,
  showStatus = true,
}: {
  drills: DrillSummary[];
  /** Link each question to its lesson (off on the lesson page itself). */
  showLesson?: boolean;
  showStatus?: boolean;
}) {
  const titles = useCourseTitles();
  return (
    <ol className="drill-answer-list">
      {drills.map((drill) => (
        <li key={drill.id} className="drill-answer-item" data-testid="browse-item" data-drill-id={drill.id}>
          <DrillDetails drill={drill} showStatus={showStatus} />
          {showLesson && (
            <p className="small muted drill-lesson-link">
              Taught in{' '}
              <Link href={`/lessons/${drill.lesson}`} data-testid="drill-lesson-link">
                {titles?.lessons[drill.lesson] ?? drill.lesson}
              </Link>
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}

function DrillDetails({ drill, showStatus }: { drill: DrillSummary; showStatus: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="drill-details" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        <span className="drill-details-question">{questionHeadline(drill.question)}</span>
        <span className="item-meta">
          <DrillKindBadge kind={drill.kind} />
          {showStatus && <DrillStatusBadge status={drill.status} />}
        </span>
      </summary>
      {open && <DrillAnswer drill={drill} />}
    </details>
  );
}

type ViewState =
  { status: 'loading' } | { status: 'ready'; view: DrillView } | { status: 'error'; error: unknown };

function DrillAnswer({ drill }: { drill: DrillSummary }) {
  const [state, setState] = useState<ViewState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    loadView(drill.id).then(
      (view) => live && setState({ status: 'ready', view }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [drill.id, attempt]);
  // The rest of the question (its code) is part of the question, shown before the answer.
  const moreQuestion = drillBlocks(drill.question).length > 1;
  return (
    <div className="drill-details-body" data-testid="browse-answer">
      {moreQuestion && <DrillText source={drill.question} className="drill-question-text" />}
      {state.status === 'loading' && <Loading label="Loading the answer…" />}
      {state.status === 'error' && (
        <ErrorMessage
          error={state.error}
          title="The answer could not be loaded"
          retry={() => setAttempt((a) => a + 1)}
        />
      )}
      {state.status === 'ready' && (
        <>
          {state.view.output && <LazyDrillOutput output={state.view.output} sourceOpen={false} />}
          <h3 className="panel-label">Answer</h3>
          <DrillText source={state.view.answer} className="drill-short-answer" />
          <KeyPoints points={state.view.keyPoints} />
          <details className="drill-full">
            <summary>Full answer</summary>
            <LazyMarkdown source={state.view.full} />
          </details>
        </>
      )}
    </div>
  );
}
