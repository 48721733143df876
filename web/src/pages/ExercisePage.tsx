/**
 * The exercise workspace: the prompt, hints and explanation; an editor with file tabs and
 * auto-save; Run, Profile and Verify with keyboard shortcuts; a console that streams the
 * program's output; the result views; the job history. A running job survives a reload and
 * shows in a second tab (the job id is remembered, and the history names running jobs).
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import {
  api,
  errorMessage,
  isTerminal,
  jobMemory,
  newJobId,
  preopenJobStream,
  saveFilesOnUnload,
  useJob,
  useLoad,
  type ExerciseJobKind,
  type ExerciseProgress,
  type ExerciseView,
  type JobSummary,
} from '../api';
import { DifficultyBadge, KindBadge, StatusBadge } from '../components/Badges';
import { CodeEditor, type CodeEditorHandle, type EditorFile } from '../components/CodeEditor';
import { Console, isLive, revealConsole } from '../components/Console';
import { JobResult, resultOf } from '../components/JobResult';
import { Markdown } from '../components/Markdown';
import { Empty, ErrorMessage, isNotFound, Loading } from '../components/States';
import { ariaShortcut, clockTime, shortcutLabel, timeAgo } from '../lib/format';
import { useProfileHeat } from '../lib/heat';
import { useMediaQuery, useShortcuts } from '../lib/shortcuts';
import { useTheme } from '../theme';
import { useCourseTitles } from '../lib/course-titles';
import { withoutTitle } from '../lib/markdown';
import { NotFound } from './NotFound';

const SAVE_DELAY_MS = 800;

const SHORTCUTS: Record<ExerciseJobKind, string> = {
  run: 'Mod-Enter',
  profile: 'Mod-Alt-Enter',
  verify: 'Mod-Shift-Enter',
};

export default function ExercisePage({ id }: { id: string }) {
  const [exercise, { reload }] = useLoad(`exercise:${id}`, (signal) => api.exercise(id, signal));
  useEffect(() => {
    if (exercise.status === 'ready') document.title = `${exercise.data.title} · perflab`;
  }, [exercise]);
  if (exercise.status === 'loading') return <Loading label="Loading the exercise…" />;
  if (exercise.status === 'error') {
    if (isNotFound(exercise.error)) return <NotFound what={`There is no exercise "${id}".`} />;
    return (
      <section className="page">
        <ErrorMessage error={exercise.error} title="The exercise could not be loaded" retry={reload} />
      </section>
    );
  }
  return <Workspace initial={exercise.data} />;
}

type SaveState =
  | { kind: 'saved'; at: number | null }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'error'; message: string };

function editableFiles(view: ExerciseView): Record<string, string> {
  return Object.fromEntries(view.files.filter((f) => f.editable).map((f) => [f.path, f.content ?? '']));
}

function Workspace({ initial }: { initial: ExerciseView }) {
  const id = initial.id;
  const { theme } = useTheme();
  const [view, setView] = useState(initial);
  const [contents, setContents] = useState<Record<string, string>>(() => editableFiles(initial));
  const [version, setVersion] = useState(0);
  const [activePath, setActivePath] = useState(
    () => initial.files.find((f) => f.path === initial.entry)?.path ?? initial.files[0]?.path ?? '',
  );
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'saved', at: initial.savedAt });
  const [progress, setProgress] = useState<ExerciseProgress>(initial.progress);
  const [jobId, setJobId] = useState<string | null>(null);
  const startingNow = useRef(false);
  const [starting, setStarting] = useState<ExerciseJobKind | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [history, setHistory] = useState<JobSummary[] | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [stdin, setStdin] = useState('');
  const [showHeat, setShowHeat] = useState(true);
  // Phones: the task is folded to its start, so the editor is near the top; hints and the
  // explanation come after the editor.
  const [promptOpen, setPromptOpen] = useState(false);
  const wide = useMediaQuery('(min-width: 960px)');
  const [hintState, setHintState] = useState<HintState>({
    hints: initial.hints,
    hintsTotal: initial.hintsTotal,
  });
  const editor = useRef<CodeEditorHandle>(null);
  const editorSection = useRef<HTMLElement>(null);
  const follow = useJob(jobId);
  const live = isLive(follow);
  const memoryKey = `exercise:${id}`;
  const titles = useCourseTitles();

  // ------------------------------------------------------------ auto-save

  const contentsRef = useRef(contents);
  contentsRef.current = contents;
  const revision = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const save = useCallback(async () => {
    timer.current = null;
    const rev = revision.current;
    setSaveState({ kind: 'saving' });
    try {
      const { savedAt } = await api.saveFiles(id, contentsRef.current);
      if (revision.current === rev) setSaveState({ kind: 'saved', at: savedAt ?? Date.now() });
    } catch (error) {
      if (revision.current === rev) setSaveState({ kind: 'error', message: errorMessage(error) });
    }
  }, [id]);

  const onChange = useCallback(
    (path: string, content: string) => {
      revision.current += 1;
      setContents((prev) => ({ ...prev, [path]: content }));
      contentsRef.current = { ...contentsRef.current, [path]: content };
      setSaveState({ kind: 'pending' });
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), SAVE_DELAY_MS);
      setProgress((p) => (p.status === 'not-started' ? { ...p, status: 'started' } : p));
    },
    [save],
  );

  // Unsaved edits are sent when the page goes away.
  useEffect(() => {
    const flush = () => {
      if (timer.current) {
        clearTimeout(timer.current);
        timer.current = null;
        saveFilesOnUnload(id, contentsRef.current);
      }
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [id]);

  /**
   * Replaces the learner's files with what the server now holds, after a pending auto-save is
   * dropped (its edits are being discarded on purpose): reset and restore.
   */
  const replaceFiles = async (action: string, request: () => Promise<ExerciseView>) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    revision.current += 1;
    try {
      const fresh = await request();
      setView(fresh);
      setContents(editableFiles(fresh));
      contentsRef.current = editableFiles(fresh);
      setVersion((v) => v + 1);
      setSaveState({ kind: 'saved', at: fresh.savedAt });
    } catch (error) {
      setSaveState({ kind: 'error', message: `${action} failed: ${errorMessage(error)}` });
    }
  };

  const reset = async () => {
    if (
      !window.confirm(
        'Reset your files to the starter code? Your edits to this exercise will be lost. This cannot be undone.',
      )
    )
      return;
    await replaceFiles('Reset', () => api.resetFiles(id));
  };

  /** Puts the code an earlier job was sent back into the editor (and the saved code). */
  const restore = async (job: JobSummary) => {
    const what = KIND_LABEL[job.kind]?.toLowerCase() ?? 'job';
    if (!window.confirm(`Replace your files with the code of this ${what} (${timeAgo(job.createdAt)})?`))
      return;
    await replaceFiles('Restore', () => api.restoreFiles(id, job.id));
  };

  // ------------------------------------------------------------ jobs

  const loadHistory = useCallback(async () => {
    try {
      const { jobs } = await api.exerciseJobs(id, 20);
      setHistory(jobs);
      setHistoryError(null);
      return jobs;
    } catch (error) {
      setHistoryError(errorMessage(error));
      return null;
    }
  }, [id]);

  // Re-attach: a queued or running job of this exercise (started here before a reload, or in
  // another tab), else the job this browser last started, to show its result again.
  useEffect(() => {
    let cancelled = false;
    void loadHistory().then((jobs) => {
      if (cancelled) return;
      const running = jobs?.find((j) => !isTerminal(j.state));
      const remembered = jobMemory.get(memoryKey);
      const known = remembered && (!jobs || jobs.some((j) => j.id === remembered)) ? remembered : null;
      setJobId((current) => current ?? running?.id ?? known);
    });
    return () => {
      cancelled = true;
    };
  }, [loadHistory, memoryKey]);

  // Another tab started a job here: follow it too.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === `perflab:job:${memoryKey}` && event.newValue) {
        setJobId(event.newValue);
        void loadHistory();
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [memoryKey, loadHistory]);

  // When a job ends: refresh the history and the progress (a verification may have solved it).
  const endedJob = follow.job?.id;
  useEffect(() => {
    if (!endedJob) return;
    void loadHistory();
    api.progress().then(
      (all) => {
        const mine = all.exercises[id];
        if (mine) setProgress(mine);
      },
      () => undefined,
    );
  }, [endedJob, id, loadHistory]);

  const start = async (kind: ExerciseJobKind) => {
    // The ref also covers a second click before the transition below has rendered.
    if (live || starting || startingNow.current) return;
    startingNow.current = true;
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    const rev = revision.current;
    // Follow first, start second: the event stream is open before the job exists.
    const newId = newJobId();
    preopenJobStream(newId);
    const previousId = jobId;
    jobMemory.set(memoryKey, newId);
    const request = api.startExerciseJob(id, kind, contentsRef.current, stdin || undefined, newId);
    // The page's re-render is a transition: it yields to the network and to the run's first
    // output instead of holding the click's task (about 10 ms of React and layout).
    startTransition(() => {
      setStarting(kind);
      setStartError(null);
      setJobId(newId);
    });
    revealConsole();
    try {
      await request;
      if (revision.current === rev) setSaveState({ kind: 'saved', at: Date.now() });
      setProgress((p) => (p.status === 'not-started' ? { ...p, status: 'started' } : p));
      void loadHistory();
    } catch (error) {
      setJobId(previousId);
      jobMemory.set(memoryKey, previousId);
      setStartError(errorMessage(error));
      if (revision.current === rev) setSaveState({ kind: 'pending' });
      timer.current = setTimeout(() => void save(), SAVE_DELAY_MS);
    } finally {
      startingNow.current = false;
      setStarting(null);
    }
  };

  useShortcuts([
    { spec: SHORTCUTS.run, run: () => void start('run') },
    { spec: SHORTCUTS.profile, run: () => void start('profile') },
    { spec: SHORTCUTS.verify, run: () => void start('verify') },
  ]);

  // ------------------------------------------------------------ editor files and heat

  const files: EditorFile[] = useMemo(
    () =>
      view.files.map((f) => ({
        path: f.path,
        content: f.editable ? (contents[f.path] ?? f.content ?? '') : f.content,
        editable: f.editable,
        kind: f.kind,
        sizeBytes: f.sizeBytes,
        downloadUrl: f.kind === 'data' ? api.dataFileUrl(id, f.path) : undefined,
      })),
    // The editor owns editable content after creation; only a new version of the files matters.
    [view, id],
  );
  const paths = useMemo(() => view.files.map((f) => f.path), [view]);
  const result = resultOf(follow.job);
  const { heat, selectFunction } = useProfileHeat({
    result,
    paths,
    activePath,
    editor,
    editorSection,
    enabled: showHeat,
  });
  const heatFiles = heat ? Object.keys(heat) : [];

  // ------------------------------------------------------------ layout

  const helpPanels = (
    <>
      <Hints exerciseId={id} state={hintState} onChange={setHintState} />
      <Explanation exerciseId={id} shownBefore={progress.explanationShown} />
    </>
  );

  const busy = live || starting !== null;
  return (
    <div className="page page-wide workspace" data-testid="exercise">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/">Course</Link>
        {view.moduleId && (
          <>
            {' '}
            <span aria-hidden="true">›</span> <span>{titles?.modules[view.moduleId] ?? view.moduleId}</span>
          </>
        )}
      </nav>
      <header className="workspace-header">
        <h1>{view.title}</h1>
        <p className="item-meta">
          <KindBadge kind={view.kind} />
          <DifficultyBadge difficulty={view.difficulty} />
          <StatusBadge status={progress.status} />
          {view.topics.map((topic) => (
            <span key={topic} className="tag">
              {topic}
            </span>
          ))}
        </p>
      </header>
      <div className="workspace-grid">
        <aside className="workspace-side" aria-label="Exercise">
          <section
            className={`card prompt${promptOpen ? ' is-open' : ''}`}
            aria-labelledby="prompt-title"
            data-testid="prompt"
          >
            <h2 id="prompt-title" className="visually-hidden">
              The task
            </h2>
            <div className="prompt-body" id="prompt-body">
              <Markdown source={withoutTitle(view.prompt, view.title)} />
            </div>
            <button
              type="button"
              className="link-button prompt-toggle"
              aria-expanded={promptOpen}
              aria-controls="prompt-body"
              onClick={() => setPromptOpen((open) => !open)}
            >
              {promptOpen ? 'Show less of the task' : 'Show the whole task'}
            </button>
            {view.checks.length > 0 && (
              <details className="checks">
                <summary>What Verify checks ({view.checks.length})</summary>
                <ul>
                  {view.checks.map((check) => (
                    <li key={check.id}>
                      {check.title} <span className="tag">{check.kind}</span>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </section>
          {wide && helpPanels}
        </aside>
        <section className="workspace-main" aria-label="Code" ref={editorSection}>
          <div className="toolbar" role="toolbar" aria-label="Actions">
            <RunButton
              kind="run"
              label="Run"
              onClick={start}
              busy={busy}
              starting={starting}
              testId="run-button"
            />
            <RunButton
              kind="profile"
              label="Profile"
              onClick={start}
              busy={busy}
              starting={starting}
              testId="profile-button"
            />
            <RunButton
              kind="verify"
              label="Verify"
              onClick={start}
              busy={busy}
              starting={starting}
              testId="verify-button"
              primary
            />
          </div>
          {startError && (
            <p className="bad small" role="alert">
              Could not start: {startError}
            </p>
          )}
          {heatFiles.length > 0 && (
            <p className="heat-legend small">
              <span className="heat-swatch" aria-hidden="true" /> Line heat from the profile: time spent on
              each line of your hottest functions.{' '}
              <button type="button" className="link-button" onClick={() => setShowHeat(false)}>
                Hide
              </button>
            </p>
          )}
          {!showHeat && result?.kind === 'profile' && result.lines && (
            <p className="heat-legend small">
              <button type="button" className="link-button" onClick={() => setShowHeat(true)}>
                Show line heat from the profile
              </button>
            </p>
          )}
          <CodeEditor
            ref={editor}
            files={files}
            activePath={activePath}
            onActivePathChange={setActivePath}
            onChange={onChange}
            theme={theme}
            heat={heat}
            version={version}
            label="Exercise code"
            tabBarEnd={
              <>
                <SaveIndicator state={saveState} />
                <button
                  type="button"
                  className="button button-small button-quiet"
                  onClick={() => void reset()}
                  data-testid="reset-button"
                >
                  Reset to starter
                </button>
              </>
            }
          />
          <details className="stdin-box">
            <summary>Standard input{stdin ? ' (set)' : ''}</summary>
            <label className="field">
              <span>Text sent to the program&rsquo;s stdin by Run and Profile</span>
              <textarea
                value={stdin}
                onChange={(event) => setStdin(event.target.value)}
                rows={3}
                spellCheck={false}
                className="mono"
              />
            </label>
          </details>
          <Console follow={follow} idleText="Run, profile or verify your code; its output appears here." />
          {!wide && helpPanels}
        </section>
      </div>
      {follow.job && (
        <section className="results" aria-label="Result" data-testid="results" data-job-id={follow.job.id}>
          <h2 className="visually-hidden">Result</h2>
          {follow.job.finishedAt !== null && (
            <p className="results-code small">
              <button
                type="button"
                className="link-button"
                onClick={() => follow.job && void restore(follow.job)}
                data-testid="restore-button"
              >
                Restore the code of this {KIND_LABEL[follow.job.kind]?.toLowerCase() ?? 'job'}
              </button>{' '}
              <span className="muted">into the editor</span>
            </p>
          )}
          <JobResult job={follow.job} onSelectFunction={selectFunction} />
        </section>
      )}
      <JobHistory
        jobs={history}
        error={historyError}
        current={jobId}
        onSelect={(jobIdToShow) => setJobId(jobIdToShow)}
      />
    </div>
  );
}

function RunButton({
  kind,
  label,
  onClick,
  busy,
  starting,
  testId,
  primary = false,
}: {
  kind: ExerciseJobKind;
  label: string;
  onClick: (kind: ExerciseJobKind) => void;
  busy: boolean;
  starting: ExerciseJobKind | null;
  testId: string;
  primary?: boolean;
}) {
  const spec = SHORTCUTS[kind];
  return (
    <button
      type="button"
      className={`button ${primary ? 'button-primary' : ''}`}
      onClick={() => onClick(kind)}
      disabled={busy}
      title={`${label} (${shortcutLabel(spec)})`}
      aria-keyshortcuts={ariaShortcut(spec)}
      data-testid={testId}
    >
      {starting === kind ? `${label}…` : label}
      <kbd className="shortcut" aria-hidden="true">
        {shortcutLabel(spec)}
      </kbd>
    </button>
  );
}

function SaveIndicator({ state }: { state: SaveState }) {
  const text =
    state.kind === 'saved'
      ? state.at
        ? `Saved ${clockTime(state.at)}`
        : 'Starter code'
      : state.kind === 'pending'
        ? 'Edited'
        : state.kind === 'saving'
          ? 'Saving…'
          : `Save failed: ${state.message}`;
  return (
    <span
      className={`save-state save-${state.kind}`}
      data-testid="save-state"
      data-state={state.kind}
      role="status"
      aria-live="polite"
    >
      {text}
    </span>
  );
}

interface HintState {
  hints: string[];
  hintsTotal: number;
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

const KIND_LABEL: Record<string, string> = {
  run: 'Run',
  profile: 'Profile',
  verify: 'Verify',
  timeit: 'Timeit',
  block: 'Example',
};

function JobHistory({
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
            // A finished verification with no pass/fail verdict had a check the machine could not decide.
            const outcome =
              job.kind === 'verify' && job.passed !== null
                ? job.passed
                  ? 'passed'
                  : 'failed'
                : job.kind === 'verify' && job.state === 'finished'
                  ? 'undecided'
                  : job.state;
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
