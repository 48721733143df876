/**
 * The exercise's help: hints one at a time, and the full explanation behind a spoiler warning
 * (revealing it is recorded in the learner's progress).
 */
import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { Markdown } from '../../components/Markdown';
import { Empty } from '../../components/States';

export interface HintState {
  hints: string[];
  hintsTotal: number;
}

export function HelpPanels({
  exerciseId,
  hints,
  onHints,
  explanationShown,
}: {
  exerciseId: string;
  hints: HintState;
  onHints: (state: HintState) => void;
  explanationShown: boolean;
}) {
  return (
    <>
      <Hints exerciseId={exerciseId} state={hints} onChange={onHints} />
      <Explanation exerciseId={exerciseId} shownBefore={explanationShown} />
    </>
  );
}

function Hints({
  exerciseId,
  state: { hints, hintsTotal },
  onChange,
}: {
  exerciseId: string;
  state: HintState;
  onChange: (state: HintState) => void;
}) {
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = async () => {
    setLoading(true);
    setError(null);
    try {
      const answer = await api.nextHint(exerciseId);
      onChange({ hints: answer.hints, hintsTotal: answer.hintsTotal });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  };
  return (
    <section className="card hints" aria-labelledby="hints-title">
      <h2 id="hints-title">Hints</h2>
      {hintsTotal === 0 && <Empty>This exercise has no hints.</Empty>}
      {hints.length > 0 && (
        <ol className="hint-list">
          {hints.map((hint, index) => (
            <li key={index} data-testid="hint">
              <Markdown source={hint} />
            </li>
          ))}
        </ol>
      )}
      {hints.length < hintsTotal && (
        <button
          type="button"
          className="button button-small"
          onClick={() => void next()}
          disabled={loading}
          data-testid="show-hint"
        >
          {loading ? 'Loading…' : `Show hint ${hints.length + 1} of ${hintsTotal}`}
        </button>
      )}
      {hints.length > 0 && hints.length >= hintsTotal && (
        <p className="muted small">That was the last hint.</p>
      )}
      {error && (
        <p className="bad small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function Explanation({ exerciseId, shownBefore }: { exerciseId: string; shownBefore: boolean }) {
  const [stage, setStage] = useState<'closed' | 'confirming' | 'loading' | 'shown'>('closed');
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (stage === 'confirming') confirmButton.current?.focus();
  }, [stage]);
  const reveal = async () => {
    setStage('loading');
    setError(null);
    try {
      const answer = await api.explanation(exerciseId);
      setText(answer.explanation);
      setStage('shown');
    } catch (err) {
      setError(errorMessage(err));
      setStage('confirming');
    }
  };
  return (
    <section className="card explanation-card" aria-labelledby="explanation-title">
      <h2 id="explanation-title">Explanation</h2>
      {stage === 'closed' && (
        <>
          <p className="muted small">
            The full explanation of the bug and its fix.{' '}
            {shownBefore
              ? 'You have read it before.'
              : 'Try the hints first: finding it yourself is the exercise.'}
          </p>
          <button
            type="button"
            className="button button-small"
            onClick={() => setStage('confirming')}
            data-testid="show-explanation"
          >
            Show the explanation…
          </button>
        </>
      )}
      {(stage === 'confirming' || stage === 'loading') && (
        <div
          className="spoiler-warning"
          role="alertdialog"
          aria-labelledby="spoiler-title"
          aria-describedby="spoiler-text"
        >
          <p id="spoiler-title">
            <strong>Spoiler warning</strong>
          </p>
          <p id="spoiler-text">
            The explanation gives away the cause and the fix. Revealing it is recorded in your progress.
          </p>
          <div className="button-row">
            <button
              type="button"
              ref={confirmButton}
              className="button button-small button-danger"
              onClick={() => void reveal()}
              disabled={stage === 'loading'}
              data-testid="confirm-explanation"
            >
              {stage === 'loading' ? 'Loading…' : 'Yes, show me the explanation'}
            </button>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => setStage('closed')}
            >
              Not yet
            </button>
          </div>
          {error && (
            <p className="bad small" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
      {stage === 'shown' && text !== null && (
        <div data-testid="explanation" className="explanation">
          <Markdown source={text} />
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => setStage('closed')}
          >
            Hide
          </button>
        </div>
      )}
    </section>
  );
}
