/**
 * The parts of a mock interview on screen: the list of parts, a part's intro before its timer
 * starts, the debugging exercise's task, and the rubric the learner scores their answer with
 * (0–2 per key point, plus communication 0–2).
 */
import { useState, type FormEvent } from 'react';
import type { DrillGrade, SessionItem, SessionView } from '../../api/drills';
import { FormError, PART_KINDS } from './SessionParts';
import { formatLimit } from './session-clock';

/** Every part with its state, the current one marked. */
export function PartList({ session, current }: { session: SessionView; current: number | null }) {
  return (
    <ol className="part-list" aria-label="Parts of the interview">
      {session.items.map((item) => {
        const state = item.answeredAtMs !== null ? 'done' : item.index === current ? 'current' : 'waiting';
        return (
          <li
            key={item.index}
            className={`part-list-item is-${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span className="part-list-kind">{PART_KINDS[item.kind]}</span>
            <span className="muted small">{formatLimit(item.timeLimitSec)}</span>
            {state === 'done' && <span className="visually-hidden">done</span>}
          </li>
        );
      })}
    </ol>
  );
}

export function PartIntro({
  item,
  total,
  busy,
  onStart,
}: {
  item: SessionItem;
  total: number;
  busy: boolean;
  onStart: () => void;
}) {
  const what =
    item.kind === 'exercise'
      ? 'Fix the program in the workspace and verify it before the time box ends.'
      : item.kind === 'quick-fire'
        ? 'Answer aloud, as you would to an interviewer.'
        : item.kind === 'scenario'
          ? 'Reason through it aloud: what you would measure first, what you expect, what you would change.'
          : 'Read the recorded output and say what it tells you.';
  return (
    <div className="part-intro">
      <p>
        Part {item.index + 1} of {total}: <strong>{PART_KINDS[item.kind]}</strong>,{' '}
        {formatLimit(item.timeLimitSec)}.
      </p>
      <p className="muted">{what} The question appears when you start the part.</p>
      <button
        type="button"
        className="button button-primary"
        onClick={onStart}
        disabled={busy}
        data-testid="start-part"
      >
        Start part {item.index + 1}
      </button>
    </div>
  );
}

export function ExerciseTask({
  item,
  busy,
  onDone,
}: {
  item: SessionItem;
  busy: boolean;
  onDone: () => void;
}) {
  return (
    <div className="exercise-task">
      <p>
        {/* A plain link: a new tab keeps this page and its timer open beside the workspace. */}
        <a
          href={`/exercises/${encodeURIComponent(item.refId)}`}
          target="_blank"
          rel="noopener"
          className="button"
          data-testid="open-exercise"
        >
          Open “{item.title}” in the workspace <span className="visually-hidden">(opens in a new tab)</span>
          <span aria-hidden="true">↗</span>
        </a>
      </p>
      <p className="muted">
        Verify there as often as you like: the interview counts the exercise solved if a verification passed
        before the time box ended.
      </p>
      <button
        type="button"
        className="button button-primary"
        onClick={onDone}
        disabled={busy}
        data-testid="exercise-done"
      >
        I am done
      </button>
    </div>
  );
}

/** What 0, 1 and 2 mean for a key point, and for communication. */
const POINT_SCORES = ['missed', 'vague', 'named and explained'] as const;
const COMMUNICATION_SCORES = ['hard to follow', 'understandable', 'structured and clear'] as const;

/**
 * The rubric: one 0–2 score per key point and one for communication, every one required. A
 * question without key points is graded Again–Easy instead (the server needs one or the other).
 */
export function RubricForm({
  keyPoints,
  busy,
  onRubric,
  onGrade,
}: {
  keyPoints: readonly string[];
  busy: boolean;
  onRubric: (rubric: { points: number[]; communication: number }) => void;
  onGrade: (grade: DrillGrade) => void;
}) {
  const [points, setPoints] = useState<(number | null)[]>(() => keyPoints.map(() => null));
  const [communication, setCommunication] = useState<number | null>(null);
  const [missing, setMissing] = useState(false);
  if (keyPoints.length === 0) {
    return (
      <div className="grade-buttons" role="group" aria-label="How well did you answer?">
        {(['Again', 'Hard', 'Good', 'Easy'] as const).map((label, i) => (
          <button
            key={label}
            type="button"
            className={`button grade-button grade-${i + 1}`}
            disabled={busy}
            onClick={() => onGrade((i + 1) as DrillGrade)}
          >
            {label}
          </button>
        ))}
      </div>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (communication === null || points.some((p) => p === null)) {
      setMissing(true);
      return;
    }
    onRubric({ points: points as number[], communication });
  };
  return (
    <form className="rubric" onSubmit={submit} data-testid="rubric">
      <h4>Score your answer</h4>
      {keyPoints.map((point, i) => (
        <ScoreChoice
          key={point}
          name={`point-${i}`}
          legend={point}
          value={points[i] ?? null}
          onChange={(value) => setPoints((current) => current.map((p, j) => (j === i ? value : p)))}
        />
      ))}
      <ScoreChoice
        name="communication"
        legend="Communication: structured, clear, assumptions stated"
        meanings={COMMUNICATION_SCORES}
        value={communication}
        onChange={setCommunication}
      />
      <FormError message={missing ? 'Score every key point and the communication.' : null} />
      <button type="submit" className="button button-primary" disabled={busy} data-testid="submit-rubric">
        Save the score
      </button>
    </form>
  );
}

function ScoreChoice({
  name,
  legend,
  meanings = POINT_SCORES,
  value,
  onChange,
}: {
  name: string;
  legend: string;
  meanings?: readonly [string, string, string];
  value: number | null;
  onChange: (value: number) => void;
}) {
  return (
    <fieldset className="score-choice" data-testid="rubric-point">
      <legend>{legend}</legend>
      <div className="score-options">
        {meanings.map((meaning, score) => (
          <label key={score} className="score-option">
            <input
              type="radio"
              name={name}
              value={score}
              checked={value === score}
              onChange={() => onChange(score)}
            />
            <span>
              {score} <span className="muted small">{meaning}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
