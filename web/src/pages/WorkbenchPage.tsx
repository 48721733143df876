/**
 * The workbench: any Python script (pasted or uploaded, with data files), run or profiled in
 * the sandbox with the same console and views as the exercises, or functions compared with
 * timeit. The script is kept in this browser between visits (./workbench/kept.ts); uploads
 * and their limits are ./workbench/uploads.ts; the job lifecycle is hooks/useJob.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { api } from '../api/client';
import type { WorkbenchJobKind } from '../api/types';
import { CodeEditor, type EditorFile } from '../components/CodeEditor';
import { Console, revealConsole } from '../components/Console';
import { JobToolbar, type RunButtonSpec } from '../components/JobControls';
import { JobResult } from '../components/JobResult';
import { ProfilerChoice, useProfilerChoice } from '../components/ProfilerChoice';
import { useJob } from '../hooks/useJob';
import { useJobEditor } from '../hooks/useJobEditor';
import { useShortcuts } from '../lib/shortcuts';
import { EXAMPLE, EXAMPLE_CANDIDATES, useKeptFields } from './workbench/kept';
import { FilesCard, InputCard, TimeitCard } from './workbench/SidePanels';
import { candidateList, jobFiles, MAIN, readUploads, splitArgs, type Upload } from './workbench/uploads';

const BUTTONS: readonly RunButtonSpec<WorkbenchJobKind>[] = [
  { kind: 'run', label: 'Run', shortcut: 'Mod-Enter' },
  { kind: 'profile', label: 'Profile', shortcut: 'Mod-Alt-Enter', primary: true },
];
/** The server compares at most this many candidates. */
const MAX_CANDIDATES = 8;

export default function WorkbenchPage() {
  const kept = useKeptFields();
  const { script, setScript, args, stdin, candidates } = kept;
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [uploadErrors, setUploadErrors] = useState<string[]>([]);
  const [entry, setEntry] = useState(MAIN);
  const [profiler, setProfiler] = useProfilerChoice('workbench');
  const jobs = useJob<WorkbenchJobKind>({
    memoryKey: 'workbench',
    attachRemembered: true,
    onStarting: revealConsole,
  });
  const { follow } = jobs;

  useEffect(() => {
    document.title = 'Workbench · perflab';
  }, []);

  const scriptRef = useRef(script);
  scriptRef.current = script;
  const uploadsRef = useRef(uploads);
  uploadsRef.current = uploads;

  const onChange = useCallback(
    (path: string, content: string) => {
      if (path === MAIN) setScript(content);
      else setUploads((prev) => prev.map((u) => (u.path === path ? { ...u, content } : u)));
    },
    [setScript],
  );

  const onFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(event.target.files ?? []);
    event.target.value = '';
    const { added, errors } = await readUploads(chosen, uploadsRef.current);
    setUploadErrors(errors);
    if (added.length > 0) {
      setUploads((prev) => [...prev.filter((u) => !added.some((a) => a.path === u.path)), ...added]);
      editor.newVersion();
    }
  };

  const remove = (path: string) => {
    setUploads((prev) => prev.filter((u) => u.path !== path));
    if (entry === path) setEntry(MAIN);
    if (editor.activePath === path) editor.setActivePath(MAIN);
    editor.newVersion();
  };

  const names = candidateList(candidates);

  const start = async (kind: WorkbenchJobKind) => {
    if (kind === 'timeit' && names.length < 2) {
      jobs.refuse('Name at least two functions or expressions to compare, one per line.');
      return;
    }
    const files = jobFiles(scriptRef.current, uploadsRef.current);
    await jobs.start(kind, (jobId) =>
      api.startWorkbenchJob({
        kind,
        jobId,
        entry,
        files,
        args: splitArgs(args),
        stdin: stdin || undefined,
        candidates: kind === 'timeit' ? names.slice(0, MAX_CANDIDATES) : undefined,
        profiler: kind === 'profile' ? profiler : undefined,
      }),
    );
  };

  useShortcuts(BUTTONS.map((button) => ({ spec: button.shortcut, run: () => void start(button.kind) })));

  // The files the editor shows: main.py and the text uploads (binary ones are not shown).
  const shownUploads = uploads.filter((u) => !u.base64).map((u) => u.path);
  const pathList = shownUploads.join('\0'); // NUL: the one byte no file name holds
  // Stable while only the files' text changes, so the heat is not worked out again per keystroke.
  const paths = useMemo(() => [MAIN, ...(pathList ? pathList.split('\0') : [])], [pathList]);
  const editor = useJobEditor({
    job: follow.job,
    paths,
    label: 'Workbench script',
    initialPath: MAIN,
  });

  const editorFiles: EditorFile[] = useMemo(
    () => [
      { path: MAIN, content: scriptRef.current, editable: true, kind: 'code' as const },
      ...uploadsRef.current
        .filter((u) => !u.base64)
        .map((u) => ({
          path: u.path,
          content: u.content,
          editable: true,
          kind: u.path.endsWith('.py') ? ('code' as const) : ('data' as const),
        })),
    ],
    // Rebuilt only for a new set of files; the editor owns the text in between.
    [editor.version],
  );
  const pythonFiles = [MAIN, ...uploads.filter((u) => u.path.endsWith('.py')).map((u) => u.path)];

  const restoreExample = () => {
    if (!window.confirm('Replace the script in the editor with the example?')) return;
    setScript(EXAMPLE);
    scriptRef.current = EXAMPLE;
    kept.setCandidates(EXAMPLE_CANDIDATES);
    editor.newVersion();
  };

  return (
    <div className="page page-wide workbench" data-testid="workbench">
      <header className="workspace-header">
        <h1>Workbench</h1>
        <p className="muted">
          Paste or upload any Python script, with its data files, and run or profile it in the sandbox.
          Nothing here is part of the course.
        </p>
      </header>
      <div className="workspace-grid">
        <section className="workspace-main" aria-label="Script" ref={editor.editorSection}>
          <JobToolbar buttons={BUTTONS} jobs={jobs} onStart={(kind) => void start(kind)}>
            <ProfilerChoice value={profiler} onChange={setProfiler} disabled={jobs.busy} />
            <span className="toolbar-spacer" />
            <button type="button" className="button button-small button-quiet" onClick={restoreExample}>
              Load the example
            </button>
          </JobToolbar>
          <CodeEditor {...editor.editorProps} files={editorFiles} onChange={onChange} />
          <Console follow={follow} idleText="Run or profile the script; its output appears here." />
        </section>
        <aside className="workspace-side" aria-label="Files and options">
          <FilesCard
            uploads={uploads}
            errors={uploadErrors}
            onFiles={(event) => void onFiles(event)}
            onRemove={remove}
            pythonFiles={pythonFiles}
            entry={entry}
            onEntry={setEntry}
          />
          <InputCard fields={kept} />
          <TimeitCard
            entry={entry}
            candidates={candidates}
            onCandidates={kept.setCandidates}
            count={names.length}
            onCompare={() => void start('timeit')}
            busy={jobs.busy}
            comparing={jobs.starting === 'timeit'}
          />
        </aside>
      </div>
      {follow.job && (
        <section className="results" aria-label="Result" data-testid="results">
          <h2 className="visually-hidden">Result</h2>
          <JobResult job={follow.job} onSelectFunction={editor.selectFunction} />
        </section>
      )}
    </div>
  );
}
