/**
 * /drills/mock: a timed mock interview. Parts run one after another, each started by the
 * learner and timed by the server; a part's answer and key points stay hidden until its time is
 * up (the server reveals them only then), and the learner then scores their answer against the
 * rubric. A debugging exercise part is solved in the real workspace (/exercises/:id) and the
 * server says whether a verification passed within its time box. At the end: the report.
 *
 * The running interview's id is in the address (`?session=`) and in localStorage, so a reload
 * or a trip to the workspace comes back to the same part.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { errorMessage } from '../../api/client';
import { drillsApi, type DrillOutput, type SessionAnswerBody, type SessionView } from '../../api/drills';
import { ExerciseTask, PartIntro, PartList, RubricForm } from './MockPart';
import { MockSetup } from './MockSetup';
import { Countdown, EndNow, FormError, PART_KINDS, SessionLoader } from './SessionParts';
import { Question, RecordedOutput, RevealedAnswer } from './SessionParts';
import {
  currentPartIndex,
  isRevealed,
  partDeadlineMs,
  runningSession,
  useCountdown,
  useSessionId,
} from './session-clock';
import '../../styles/drill-sessions.css';

/** After a part's time is up, how often and how long to ask the server for its answer. */
const REVEAL_POLL_MS = 1000;
const REVEAL_POLL_TRIES = 20;

export default function MockInterviewPage() {
  const { id: sessionId, onStale } = useSessionId('mock');
  const [, navigate] = useLocation();
  useEffect(() => {
    document.title = 'Mock interview — perflab';
  }, []);
  const started = (session: SessionView) => {
    runningSession.set('mock', session.id);
    navigate(`/drills/mock?session=${encodeURIComponent(session.id)}`);
  };
  return (
    <div className="page page-narrow mock" data-testid="mock-interview">
      <p className="breadcrumbs">
        <Link href="/drills">Interview prep</Link> / Mock interview
      </p>
      <h1>Mock interview</h1>
      {sessionId ? (
        <SessionLoader key={sessionId} id={sessionId} what="mock interview" onStale={onStale}>
          {(session) => <MockRun initial={session} />}
        </SessionLoader>
      ) : (
        <MockSetup onStarted={started} />
      )}
    </div>
  );
}

function MockRun({ initial }: { initial: SessionView }) {
  const [session, setSession] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useSessionNotes(initial.id);
  const [lastExercise, setLastExercise] = useState<{ title: string; solved: boolean | null } | null>(null);
  const [, navigate] = useLocation();
  const skewMs = useRef(0);
  const index = currentPartIndex(session);
  const item = index === null ? null : (session.items[index] ?? null);
  const over = index === null || session.finishedAtMs !== null;

  const fail = (e: unknown) => {
    setBusy(false);
    setError(errorMessage(e));
  };
  const act = (call: () => Promise<SessionView>, then?: (view: SessionView) => void) => {
    setBusy(true);
    setError(null);
    call().then((view) => {
      setBusy(false);
      setSession(view);
      then?.(view);
    }, fail);
  };

  const finish = useCallback(() => {
    const done = (view: SessionView) => {
      runningSession.set('mock', null);
      navigate(`/drills/sessions/${encodeURIComponent(view.id)}`, { replace: true });
    };
    (session.finishedAtMs !== null ? Promise.resolve(session) : drillsApi.finishSession(session.id)).then(
      done,
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [session, navigate]);
  useEffect(() => {
    if (over) finish();
  }, [over, finish]);

  const start = () => {
    if (!item) return;
    const askedAtMs = Date.now();
    act(
      () => drillsApi.startItem(session.id, item.index),
      (view) => {
        const startedAtMs = view.items[item.index]?.startedAtMs;
        // Server clock minus ours, taking the request's midpoint as the moment it started.
        if (startedAtMs != null) skewMs.current = startedAtMs - (askedAtMs + Date.now()) / 2;
      },
    );
  };

  const answer = (body: SessionAnswerBody) => {
    if (!item) return;
    const typed = notes[item.index]?.trim();
    act(
      () => drillsApi.answerItem(session.id, item.index, typed ? { ...body, typedAnswer: typed } : body),
      (view) => {
        const answered = view.items[item.index];
        if (answered?.kind === 'exercise')
          setLastExercise({ title: answered.title, solved: answered.solvedInTime });
      },
    );
  };

  // Time up: the server now reveals the answer; ask until it does (its clock may lag ours a little).
  const tries = useRef(0);
  const onTimeUp = () => {
    if (!item) return;
    if (item.kind === 'exercise') return answer({});
    tries.current = 0;
    const poll = () => {
      drillsApi.session(session.id).then((view) => {
        const part = view.items[item.index];
        if (part && !isRevealed(part) && ++tries.current < REVEAL_POLL_TRIES)
          window.setTimeout(poll, REVEAL_POLL_MS);
        else setSession(view);
      }, fail);
    };
    poll();
  };

  const running = item !== null && item.startedAtMs !== null && !isRevealed(item);
  const remainingMs = useCountdown(running && item ? partDeadlineMs(item, skewMs.current) : null, onTimeUp);
  const output = usePartOutput(item?.kind === 'code-reading' && item.startedAtMs !== null ? item : null);

  if (!item || over) return <p className="muted">Finishing the interview…</p>;
  const typed = notes[item.index] ?? '';
  return (
    <>
      <PartList session={session} current={index} />
      {lastExercise && (
        <p className={lastExercise.solved ? 'ok' : 'bad'} role="status" data-testid="exercise-result">
          {lastExercise.title}:{' '}
          {lastExercise.solved
            ? 'solved within the time box.'
            : 'no passing verification within the time box.'}
        </p>
      )}
      <section className="session-part card" aria-labelledby="part-title" data-testid="session-part">
        <div className="part-head">
          <h2 id="part-title" className="part-title">
            Part {item.index + 1} of {session.items.length}: {PART_KINDS[item.kind]}
          </h2>
          {running && <Countdown remainingMs={remainingMs} limitSec={item.timeLimitSec} />}
        </div>
        {item.startedAtMs === null ? (
          <PartIntro item={item} total={session.items.length} busy={busy} onStart={start} />
        ) : (
          <>
            <Question source={item.question} />
            {output && <RecordedOutput output={output} />}
            {item.kind === 'exercise' ? (
              <ExerciseTask item={item} busy={busy} onDone={() => answer({})} />
            ) : running ? (
              <>
                <label className="field">
                  Your notes (optional; kept with your answer)
                  <textarea
                    rows={5}
                    value={typed}
                    onChange={(e) => setNotes((n) => ({ ...n, [item.index]: e.target.value }))}
                    data-testid="part-notes"
                  />
                </label>
                <p className="muted answer-hidden" data-testid="answer-hidden">
                  The answer and its key points appear when the time is up.
                </p>
              </>
            ) : (
              <>
                {typed && (
                  <div className="your-notes">
                    <h3>Your notes</h3>
                    <p className="pre-wrap">{typed}</p>
                  </div>
                )}
                <RevealedAnswer answer={item.answer ?? ''} full={item.full} keyPoints={item.keyPoints}>
                  <RubricForm
                    key={item.index}
                    keyPoints={item.keyPoints ?? []}
                    busy={busy}
                    onRubric={(rubric) => answer({ rubric })}
                    onGrade={(grade) => answer({ grade })}
                  />
                </RevealedAnswer>
              </>
            )}
          </>
        )}
        <FormError message={error} />
      </section>
      <EndNow label="End the interview now" busy={busy} onEnd={finish} />
    </>
  );
}

/**
 * The learner's notes per part, kept in sessionStorage so a reload (or the browser dropping
 * the tab) during a part does not lose them; sent with the part's answer.
 */
function useSessionNotes(sessionId: string) {
  const key = `perflab.drills.notes.${sessionId}`;
  const [notes, setNotes] = useState<Record<number, string>>(() => {
    try {
      return JSON.parse(sessionStorage.getItem(key) ?? '{}') as Record<number, string>;
    } catch {
      return {};
    }
  });
  useEffect(() => {
    try {
      sessionStorage.setItem(key, JSON.stringify(notes));
    } catch {
      // Storage full or unavailable: the notes live as long as the page.
    }
  }, [key, notes]);
  return [notes, setNotes] as const;
}

/**
 * A code-reading part's recorded output, which is the question's material: the part carries
 * it, or else it is read from the drill (only its output is used: the answer stays hidden).
 */
function usePartOutput(item: { refId: string; output: DrillOutput | null } | null): DrillOutput | null {
  const [fetched, setFetched] = useState<{ refId: string; output: DrillOutput | null } | null>(null);
  const refId = item?.refId ?? null;
  const needsFetch = item !== null && item.output === null;
  useEffect(() => {
    if (!needsFetch || refId === null) return;
    const controller = new AbortController();
    drillsApi.drill(refId, controller.signal).then(
      (drill) => setFetched({ refId, output: drill.output }),
      () => undefined,
    );
    return () => controller.abort();
  }, [needsFetch, refId]);
  if (!item) return null;
  return item.output ?? (fetched?.refId === item.refId ? fetched.output : null);
}
