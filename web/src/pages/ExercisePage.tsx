/**
 * The exercise workspace: the prompt, hints and explanation; an editor with file tabs and
 * auto-save; Run, Profile and Verify with keyboard shortcuts; a console that streams the
 * program's output; the result views; the job history. A running job survives a reload and
 * shows in a second tab (the job id is remembered, and the history names running jobs).
 * Auto-save is hooks/useAutoSave, the job lifecycle hooks/useJob, the history and re-attaching
 * hooks/useJobHistory; the panels are in ./exercise/.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/load';
import type { ExerciseJobKind, ExerciseProgress, ExerciseView, JobSummary } from '../api/types';
import { CodeEditor, type EditorFile } from '../components/CodeEditor';
import { Console, revealConsole } from '../components/Console';
import { CodeField, JobToolbar, type RunButtonSpec } from '../components/JobControls';
import { JobResult } from '../components/JobResult';
import { ProfilerChoice, useProfilerChoice } from '../components/ProfilerChoice';
import { Loaded } from '../components/States';
import { useAutoSave } from '../hooks/useAutoSave';
import { useJob } from '../hooks/useJob';
import { useJobEditor } from '../hooks/useJobEditor';
import { useJobHistory } from '../hooks/useJobHistory';
import { timeAgo } from '../lib/format';
import { useMediaQuery, useShortcuts } from '../lib/shortcuts';
import { HeatLegend, SaveIndicator } from './exercise/EditorNotes';
import { HelpPanels, type HintState } from './exercise/HelpPanels';
import { KIND_LABEL } from './exercise/history';
import { JobHistory } from './exercise/JobHistory';
import { ExerciseHeader, TaskCard } from './exercise/Task';

const BUTTONS: readonly RunButtonSpec<ExerciseJobKind>[] = [
  { kind: 'run', label: 'Run', shortcut: 'Mod-Enter' },
  { kind: 'profile', label: 'Profile', shortcut: 'Mod-Alt-Enter' },
  { kind: 'verify', label: 'Verify', shortcut: 'Mod-Shift-Enter', primary: true },
];

export default function ExercisePage({ id }: { id: string }) {
  const [exercise, { reload }] = useLoad(`exercise:${id}`, (signal) => api.exercise(id, signal));
  useEffect(() => {
    if (exercise.status === 'ready') document.title = `${exercise.data.title} · perflab`;
  }, [exercise]);
  return (
    <Loaded state={exercise} what="exercise" id={id} reload={reload} className="page">
      {(data) => <Workspace initial={data} />}
    </Loaded>
  );
}

const markStarted = (p: ExerciseProgress): ExerciseProgress =>
  p.status === 'not-started' ? { ...p, status: 'started' } : p;

function Workspace({ initial }: { initial: ExerciseView }) {
  const id = initial.id;
  const [view, setView] = useState(initial);
  const [progress, setProgress] = useState<ExerciseProgress>(initial.progress);
  const [stdin, setStdin] = useState('');
  const [profiler, setProfiler] = useProfilerChoice(`exercise:${id}`);
  const [showHeat, setShowHeat] = useState(true);
  const wide = useMediaQuery('(min-width: 960px)');
  const [hints, setHints] = useState<HintState>({ hints: initial.hints, hintsTotal: initial.hintsTotal });
  const autoSave = useAutoSave(id, initial);
  const jobs = useJob<ExerciseJobKind>({ memoryKey: `exercise:${id}`, onStarting: revealConsole });
  const history = useJobHistory(id, jobs, setProgress);
  const { follow } = jobs;

  const { edit } = autoSave;
  const onChange = useCallback(
    (path: string, content: string) => {
      edit(path, content);
      setProgress(markStarted);
    },
    [edit],
  );

  /** Replaces the learner's files with what the server now holds (reset, restore). */
  const replaceFiles = async (action: string, request: () => Promise<ExerciseView>) => {
    const fresh = await autoSave.replace(action, request);
    if (!fresh) return;
    setView(fresh);
    editor.newVersion();
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

  // The start request carries the editor's files, so it also saves them.
  const start = (kind: ExerciseJobKind) =>
    jobs.start(kind, async (jobId) => {
      const { files, settle } = autoSave.handOff();
      try {
        await api.startExerciseJob(id, {
          kind,
          files,
          stdin: stdin || undefined,
          jobId,
          profiler: kind === 'profile' ? profiler : undefined,
        });
      } catch (error) {
        settle(false);
        throw error;
      }
      settle(true);
      setProgress(markStarted);
      void history.reload();
    });

  useShortcuts(BUTTONS.map((button) => ({ spec: button.shortcut, run: () => void start(button.kind) })));

  const files: EditorFile[] = useMemo(
    () =>
      view.files.map((f) => ({
        path: f.path,
        content: f.editable ? (autoSave.contents[f.path] ?? f.content ?? '') : f.content,
        editable: f.editable,
        kind: f.kind,
        sizeBytes: f.sizeBytes,
        downloadUrl: f.kind === 'data' ? api.dataFileUrl(id, f.path) : undefined,
      })),
    // The editor owns editable content after creation; only a new version of the files matters.
    [view, id],
  );
  const paths = useMemo(() => view.files.map((f) => f.path), [view]);
  const editor = useJobEditor({
    job: follow.job,
    paths,
    label: 'Exercise code',
    initialPath: () =>
      initial.files.find((f) => f.path === initial.entry)?.path ?? initial.files[0]?.path ?? '',
    heatShown: showHeat,
  });

  const helpPanels = (
    <HelpPanels
      exerciseId={id}
      hints={hints}
      onHints={setHints}
      explanationShown={progress.explanationShown}
    />
  );

  return (
    <div className="page page-wide workspace" data-testid="exercise">
      <ExerciseHeader view={view} progress={progress} />
      <div className="workspace-grid">
        <aside className="workspace-side" aria-label="Exercise">
          <TaskCard view={view} />
          {wide && helpPanels}
        </aside>
        <section className="workspace-main" aria-label="Code" ref={editor.editorSection}>
          <JobToolbar buttons={BUTTONS} jobs={jobs} onStart={(kind) => void start(kind)}>
            <ProfilerChoice value={profiler} onChange={setProfiler} disabled={jobs.busy} />
          </JobToolbar>
          <HeatLegend
            shown={showHeat}
            hasHeat={editor.heat !== undefined && Object.keys(editor.heat).length > 0}
            profile={editor.result?.kind === 'profile' ? editor.result : null}
            onShow={setShowHeat}
          />
          <CodeEditor
            {...editor.editorProps}
            files={files}
            onChange={onChange}
            tabBarEnd={
              <>
                <SaveIndicator state={autoSave.saveState} />
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
            <CodeField
              label="Text sent to the program’s stdin by Run and Profile"
              value={stdin}
              onChange={setStdin}
            />
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
          <JobResult job={follow.job} onSelectFunction={editor.selectFunction} />
        </section>
      )}
      <JobHistory jobs={history.jobs} error={history.error} current={jobs.jobId} onSelect={jobs.show} />
    </div>
  );
}
