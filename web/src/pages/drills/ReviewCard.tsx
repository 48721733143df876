/**
 * One question in review: the question (with its recorded output, if any), an optional typed
 * answer, then the answer with the full one folded, and the four grade buttons, each saying
 * when the question comes back.
 */
import { useState } from 'react';
import { Link } from 'wouter';
import type { DrillGrade } from '../../api/drills';
import { intervalLabel } from '../../../../src/core/drills/interval-label.js';
import { DrillText } from '../../lib/drill-text';
import { DrillKindBadge, KeyPoints, LazyDrillOutput, LazyMarkdown } from './drill-parts';
import type { ReviewCard } from './review-state';

export const GRADES: readonly { grade: DrillGrade; name: string }[] = [
  { grade: 1, name: 'Again' },
  { grade: 2, name: 'Hard' },
  { grade: 3, name: 'Good' },
  { grade: 4, name: 'Easy' },
];

export function ReviewCardView({
  card,
  phase,
  typed,
  setTyped,
  reveal,
  grade,
  questionRef,
  answerRef,
}: {
  card: ReviewCard;
  phase: 'question' | 'answer';
  typed: string;
  setTyped: (text: string) => void;
  reveal: () => void;
  grade: (value: DrillGrade) => void;
  questionRef: React.RefObject<HTMLElement | null>;
  answerRef: React.RefObject<HTMLElement | null>;
}) {
  const { drill } = card;
  return (
    <article
      className="drill-card card"
      data-testid="review-card"
      data-drill-id={drill.id}
      data-phase={phase}
    >
      <section
        ref={questionRef}
        tabIndex={-1}
        className="drill-question"
        aria-labelledby="drill-question-label"
      >
        <p className="drill-card-meta">
          <span id="drill-question-label" className="panel-label">
            Question
          </span>
          <DrillKindBadge kind={drill.kind} />
          {drill.topics.map((topic) => (
            <span key={topic} className="tag">
              {topic}
            </span>
          ))}
        </p>
        <DrillText source={drill.question} className="drill-question-text" />
        {drill.output && <LazyDrillOutput output={drill.output} />}
      </section>
      {phase === 'question' ? (
        <>
          <label className="field drill-typed-field">
            <span>
              Your answer <span className="muted">(optional, only for you)</span>
            </span>
            <textarea
              rows={3}
              value={typed}
              data-testid="typed-answer"
              onChange={(event) => setTyped(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                  event.preventDefault();
                  reveal();
                } else if (event.key === 'Escape') {
                  questionRef.current?.focus();
                }
              }}
            />
          </label>
          <button
            type="button"
            className="button button-primary"
            onClick={reveal}
            aria-keyshortcuts="Space"
            data-testid="reveal-button"
          >
            Show answer <kbd className="shortcut">Space</kbd>
          </button>
        </>
      ) : (
        <>
          <section
            ref={answerRef}
            tabIndex={-1}
            className="drill-answer"
            aria-labelledby="drill-answer-label"
            data-testid="review-answer"
          >
            {typed.trim() && (
              <div className="drill-typed">
                <h2 className="panel-label">Your answer</h2>
                <p data-testid="typed-answer-shown">{typed}</p>
              </div>
            )}
            <h2 id="drill-answer-label" className="panel-label">
              Answer
            </h2>
            <DrillText source={drill.answer} className="drill-short-answer" />
            <FullAnswer full={drill.full} keyPoints={drill.keyPoints} />
            <p className="small muted">
              Taught in <Link href={`/lessons/${drill.lesson}`}>{drill.lessonTitle}</Link>
            </p>
          </section>
          <div className="grade-buttons" role="group" aria-label="How well did you know it?">
            {GRADES.map(({ grade: value, name }) => {
              const back = intervalLabel(drill.next[value], card.receivedAtMs);
              return (
                <button
                  key={value}
                  type="button"
                  className={`button grade-button grade-${value}`}
                  onClick={() => grade(value)}
                  aria-keyshortcuts={String(value)}
                  title={`${name}: back in ${back}`}
                  data-testid="grade-button"
                  data-grade={value}
                >
                  <span className="grade-name">
                    {name}{' '}
                    <kbd className="shortcut" aria-hidden="true">
                      {value}
                    </kbd>
                  </span>
                  <span className="grade-interval">{back}</span>
                </button>
              );
            })}
          </div>
        </>
      )}
    </article>
  );
}

/** The rubric and the full answer, folded: Markdown loads the first time it is opened. */
function FullAnswer({ full, keyPoints }: { full: string; keyPoints: string[] }) {
  const [open, setOpen] = useState(false);
  return (
    <details
      className="drill-full"
      onToggle={(event) => setOpen(event.currentTarget.open)}
      data-testid="full-answer"
    >
      <summary>Full answer and key points</summary>
      {open && (
        <>
          <KeyPoints points={keyPoints} />
          <LazyMarkdown source={full} />
        </>
      )}
    </details>
  );
}
