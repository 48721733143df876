/**
 * /drills/quick-fire: a timed round of N questions. One question at a time with its countdown;
 * Space (or the button) reveals the answer, and so does the end of the time; the learner grades
 * themself 1–4 (Again, Hard, Good, Easy), which feeds the scheduler. After the last question the
 * round is finished and the report (/drills/sessions/:id) names the weakest topics and lessons.
 *
 * The running round's id is in the address (`?session=`) and in localStorage, so a reload
 * comes back to the same question.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { errorMessage } from '../../api/client';
import { drillsApi, type DrillGrade, type SessionItem, type SessionView } from '../../api/drills';
import { QuickFireSetup } from './QuickFireSetup';
import { Countdown, EndNow, FormError, PART_KINDS, SessionLoader } from './SessionParts';
import { Question, RecordedOutput, RevealedAnswer } from './SessionParts';
import {
  currentPartIndex,
  partDeadlineMs,
  runningSession,
  useCountdown,
  useKeys,
  useSessionId,
} from './session-clock';
import '../../styles/drill-sessions.css';

const GRADES: readonly { grade: DrillGrade; label: string }[] = [
  { grade: 1, label: 'Again' },
  { grade: 2, label: 'Hard' },
  { grade: 3, label: 'Good' },
  { grade: 4, label: 'Easy' },
];

export default function QuickFirePage() {
  const params = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const { id: sessionId, onStale } = useSessionId('quick-fire');
  useEffect(() => {
    document.title = 'Quick-fire round — perflab';
  }, []);
  const started = (session: SessionView) => {
    runningSession.set('quick-fire', session.id);
    navigate(`/drills/quick-fire?session=${encodeURIComponent(session.id)}`);
  };
  return (
    <div className="page page-narrow quick-fire" data-testid="quick-fire">
      <p className="breadcrumbs">
        <Link href="/drills">Interview prep</Link> / Quick-fire round
      </p>
      <h1>Quick-fire round</h1>
      {sessionId ? (
        <SessionLoader key={sessionId} id={sessionId} what="quick-fire round" onStale={onStale}>
          {(session) => <Round initial={session} />}
        </SessionLoader>
      ) : (
        <>
          <p className="lede">
            Short questions against the clock: answer in your head (or aloud), reveal, and grade yourself
            honestly. The grades schedule each question's next review.
          </p>
          <QuickFireSetup
            preset={{ module: params.get('module') ?? undefined, topic: params.get('topic') ?? undefined }}
            onStarted={started}
          />
        </>
      )}
    </div>
  );
}

/** What the learner sees of the current question's answer: nothing yet, or the revealed parts. */
interface Shown {
  index: number;
  answer: string;
  full: string;
  keyPoints: string[];
  timedOut: boolean;
}

function Round({ initial }: { initial: SessionView }) {
  const [session, setSession] = useState(initial);
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, navigate] = useLocation();
  const skewMs = useRef(0);
  const index = currentPartIndex(session);
  const item = index === null ? null : (session.items[index] ?? null);

  const finish = useCallback(() => {
    setBusy(true);
    const done = (view: SessionView) => {
      runningSession.set('quick-fire', null);
      navigate(`/drills/sessions/${encodeURIComponent(view.id)}`, { replace: true });
    };
    (session.finishedAtMs !== null ? Promise.resolve(session) : drillsApi.finishSession(session.id)).then(
      done,
      (e: unknown) => {
        setBusy(false);
        setError(errorMessage(e));
      },
    );
  }, [session, navigate]);

  // Every question answered (or the round was ended): on to the report.
  const over = index === null || session.finishedAtMs !== null;
  useEffect(() => {
    if (over) finish();
  }, [over, finish]);

  // The question's timer runs from when it is first on screen (the server keeps the start).
  useEffect(() => {
    if (!item || item.startedAtMs !== null) return;
    const askedAtMs = Date.now();
    drillsApi.startItem(session.id, item.index).then(
      (view) => {
        const startedAtMs = view.items[item.index]?.startedAtMs;
        if (startedAtMs != null) skewMs.current = startedAtMs - (askedAtMs + Date.now()) / 2;
        setSession(view);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [session.id, item]);

  const reveal = useCallback(
    (timedOut: boolean) => {
      if (!item || shown?.index === item.index) return;
      const show = (answer: string, full: string, keyPoints: string[]) =>
        setShown({ index: item.index, answer, full, keyPoints, timedOut });
      if (item.answer !== null) return show(item.answer, item.full ?? '', item.keyPoints ?? []);
      // Quick-fire answers may be seen early (the learner grades after looking): the question's
      // own answer is read from the drill itself.
      drillsApi.drill(item.refId).then(
        (drill) => show(drill.answer, drill.full, drill.keyPoints),
        (e: unknown) => setError(errorMessage(e)),
      );
    },
    [item, shown],
  );

  const deadlineMs = item ? partDeadlineMs(item, skewMs.current) : null;
  const remainingMs = useCountdown(shown?.index === item?.index ? null : deadlineMs, () => reveal(true));

  const grade = useCallback(
    (value: DrillGrade) => {
      if (!item || shown?.index !== item.index || busy) return;
      setBusy(true);
      setError(null);
      drillsApi.answerItem(session.id, item.index, { grade: value }).then(
        (view) => {
          setBusy(false);
          setShown(null);
          setSession(view);
        },
        (e: unknown) => {
          setBusy(false);
          setError(errorMessage(e));
        },
      );
    },
    [item, shown, busy, session.id],
  );

  const revealed = item !== null && shown?.index === item.index;
  useKeys({
    ' ': () => reveal(false),
    '1': () => grade(1),
    '2': () => grade(2),
    '3': () => grade(3),
    '4': () => grade(4),
  });

  if (!item || over) return <p className="muted">Finishing the round…</p>;
  return (
    <section className="session-part card" aria-labelledby="part-title" data-testid="session-part">
      <div className="part-head">
        <h2 id="part-title" className="part-title">
          Question {item.index + 1} of {session.items.length}
        </h2>
        <span className="tag">{PART_KINDS[item.kind]}</span>
        {!revealed && <Countdown remainingMs={remainingMs} limitSec={item.timeLimitSec} />}
      </div>
      <Question source={item.question} />
      {item.output && <RecordedOutput output={item.output} />}
      {revealed ? (
        <Revealed item={item} shown={shown} busy={busy} onGrade={grade} />
      ) : (
        <div className="button-row">
          <button
            type="button"
            className="button button-primary"
            onClick={() => reveal(false)}
            data-testid="reveal-button"
          >
            Reveal the answer <kbd className="shortcut">Space</kbd>
          </button>
        </div>
      )}
      <FormError message={error} />
      <EndNow label="End the round now" busy={busy} onEnd={finish} />
    </section>
  );
}

function Revealed({
  item,
  shown,
  busy,
  onGrade,
}: {
  item: SessionItem;
  shown: Shown;
  busy: boolean;
  onGrade: (grade: DrillGrade) => void;
}) {
  // The reveal button is gone: focus moves to the answer (not to a grade button, where a second
  // Space would grade), so a screen reader reads it and 1–4 still grade.
  const answerRef = useRef<HTMLDivElement>(null);
  useEffect(() => answerRef.current?.focus({ preventScroll: true }), [item.index]);
  return (
    <div ref={answerRef} tabIndex={-1} className="revealed">
      {shown.timedOut && (
        <p className="time-up" role="status">
          Time is up.
        </p>
      )}
      <RevealedAnswer answer={shown.answer} full={shown.full} keyPoints={shown.keyPoints} />
      <div className="grade-buttons" role="group" aria-label="How well did you know it?">
        {GRADES.map(({ grade, label }) => (
          <button
            key={grade}
            type="button"
            className={`button grade-button grade-${grade}`}
            onClick={() => onGrade(grade)}
            disabled={busy}
            data-testid="grade-button"
            data-grade={grade}
          >
            {label} <kbd className="shortcut">{grade}</kbd>
          </button>
        ))}
      </div>
    </div>
  );
}
