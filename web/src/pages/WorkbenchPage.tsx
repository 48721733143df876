/**
 * The workbench: any Python script (pasted or uploaded, with data files), run or profiled in
 * the sandbox with the same console and views as the exercises, or functions compared with
 * timeit. The script is kept in this browser between visits.
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import {
  api,
  errorMessage,
  jobMemory,
  newJobId,
  preopenJobStream,
  useJob,
  type WorkbenchFile,
  type WorkbenchJobKind,
} from '../api';
import { CodeEditor, type CodeEditorHandle, type EditorFile } from '../components/CodeEditor';
import { Console, isLive, revealConsole } from '../components/Console';
import { JobResult, resultOf } from '../components/JobResult';
import { ariaShortcut, formatBytes, shortcutLabel } from '../lib/format';
import { useProfileHeat } from '../lib/heat';
import { useShortcuts } from '../lib/shortcuts';
import { useTheme } from '../theme';

const MAIN = 'main.py';
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_TOTAL_BYTES = 5 * 1024 * 1024;
const MAX_FILES = 49;
const STORAGE_KEY = 'perflab:workbench';

const EXAMPLE = `"""A small, slow program. Profile it to see where the time goes,
then compare the two versions with timeit (candidates: primes_slow, primes_sieve)."""
import time


def is_prime(n):
    if n < 2:
        return False
    for divisor in range(2, n):
        if n % divisor == 0:
            return False
    return True


def primes_slow(limit=6_000):
    return [n for n in range(limit) if is_prime(n)]


def primes_sieve(limit=6_000):
    sieve = [True] * limit
    sieve[0:2] = [False, False]
    for i in range(2, int(limit**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = [False] * len(range(i * i, limit, i))
    return [n for n, prime in enumerate(sieve) if prime]


if __name__ == "__main__":
    start = time.perf_counter()
    found = primes_slow()
    print(f"{len(found)} primes below 6000 in {time.perf_counter() - start:.2f} s")
    assert found == primes_sieve()
`;

const SHORTCUTS: Record<'run' | 'profile', string> = { run: 'Mod-Enter', profile: 'Mod-Alt-Enter' };

interface Upload {
  path: string;
  /** Text, or base64 for binary files. */
  content: string;
  base64: boolean;
  sizeBytes: number;
}

interface Saved {
  script: string;
  args: string;
  stdin: string;
  candidates: string;
}

function loadSaved(): Saved {
  const defaults: Saved = { script: EXAMPLE, args: '', stdin: '', candidates: 'primes_slow\nprimes_sieve' };
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? { ...defaults, ...(JSON.parse(raw) as Partial<Saved>) } : defaults;
  } catch {
    return defaults;
  }
}

/** Splits an argument line like a shell does for quotes: a "b c" 'd e' → [a, b c, d e]. */
function splitArgs(line: string): string[] {
  const args: string[] = [];
  const pattern = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    args.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3] ?? ''));
  }
  return args;
}

function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

export default function WorkbenchPage() {
  const { theme } = useTheme();
  const initial = useMemo(loadSaved, []);
  const [script, setScript] = useState(initial.script);
  const [args, setArgs] = useState(initial.args);
  const [stdin, setStdin] = useState(initial.stdin);
  const [candidates, setCandidates] = useState(initial.candidates);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [uploadErrors, setUploadErrors] = useState<string[]>([]);
  const [entry, setEntry] = useState(MAIN);
  const [activePath, setActivePath] = useState(MAIN);
  const [version, setVersion] = useState(0);
  const [jobId, setJobId] = useState<string | null>(() => jobMemory.get('workbench'));
  const startingNow = useRef(false);
  const [starting, setStarting] = useState<WorkbenchJobKind | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const editor = useRef<CodeEditorHandle>(null);
  const editorSection = useRef<HTMLElement>(null);
  const follow = useJob(jobId);
  const live = isLive(follow);

  useEffect(() => {
    document.title = 'Workbench · perflab';
  }, []);

  // Keep the script and fields in this browser.
  useEffect(() => {
    const handle = setTimeout(() => {
      try {
        localStorage.setItem(
          STORAGE_KEY,
          JSON.stringify({ script, args, stdin, candidates } satisfies Saved),
        );
      } catch {
        // Not kept when storage is full or disabled.
      }
    }, 500);
    return () => clearTimeout(handle);
  }, [script, args, stdin, candidates]);

  const scriptRef = useRef(script);
  scriptRef.current = script;
  const uploadsRef = useRef(uploads);
  uploadsRef.current = uploads;

  const onChange = useCallback((path: string, content: string) => {
    if (path === MAIN) setScript(content);
    else setUploads((prev) => prev.map((u) => (u.path === path ? { ...u, content } : u)));
  }, []);

  const onFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(event.target.files ?? []);
    event.target.value = '';
    const errors: string[] = [];
    const added: Upload[] = [];
    let total = uploadsRef.current.reduce((sum, u) => sum + u.sizeBytes, 0);
    for (const file of chosen) {
      const path = file.name;
      if (path === MAIN) {
        errors.push(`${path}: the script in the editor is main.py; rename the file to upload it alongside.`);
        continue;
      }
      if (file.size > MAX_FILE_BYTES) {
        errors.push(
          `${path} is ${formatBytes(file.size)}; files are limited to ${formatBytes(MAX_FILE_BYTES)}.`,
        );
        continue;
      }
      if (total + file.size > MAX_TOTAL_BYTES) {
        errors.push(`${path} would take the upload over ${formatBytes(MAX_TOTAL_BYTES)} in all.`);
        continue;
      }
      if (uploadsRef.current.length + added.length >= MAX_FILES) {
        errors.push(`${path}: at most ${MAX_FILES} files can be uploaded.`);
        continue;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const text = isText(bytes);
      added.push({
        path,
        content: text ? new TextDecoder().decode(bytes) : toBase64(bytes),
        base64: !text,
        sizeBytes: file.size,
      });
      total += file.size;
    }
    setUploadErrors(errors);
    if (added.length > 0) {
      setUploads((prev) => [...prev.filter((u) => !added.some((a) => a.path === u.path)), ...added]);
      setVersion((v) => v + 1);
    }
  };

  const remove = (path: string) => {
    setUploads((prev) => prev.filter((u) => u.path !== path));
    if (entry === path) setEntry(MAIN);
    if (activePath === path) setActivePath(MAIN);
    setVersion((v) => v + 1);
  };

  const candidateList = candidates
    .split('\n')
    .map((c) => c.trim())
    .filter(Boolean);

  const start = async (kind: WorkbenchJobKind) => {
    // The ref also covers a second click before the transition below has rendered.
    if (live || starting || startingNow.current) return;
    if (kind === 'timeit' && candidateList.length < 2) {
      setStartError('Name at least two functions or expressions to compare, one per line.');
      return;
    }
    const files: WorkbenchFile[] = [
      { path: MAIN, content: scriptRef.current },
      ...uploadsRef.current.map((u) => ({ path: u.path, content: u.content, base64: u.base64 })),
    ];
    startingNow.current = true;
    // Follow first, start second: the event stream is open before the job exists.
    const newId = newJobId();
    preopenJobStream(newId);
    const previousId = jobId;
    jobMemory.set('workbench', newId);
    const request = api.startWorkbenchJob({
      kind,
      jobId: newId,
      entry,
      files,
      args: splitArgs(args),
      stdin: stdin || undefined,
      candidates: kind === 'timeit' ? candidateList.slice(0, 8) : undefined,
    });
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
    } catch (error) {
      setJobId(previousId);
      jobMemory.set('workbench', previousId);
      setStartError(errorMessage(error));
    } finally {
      startingNow.current = false;
      setStarting(null);
    }
  };

  useShortcuts([
    { spec: SHORTCUTS.run, run: () => void start('run') },
    { spec: SHORTCUTS.profile, run: () => void start('profile') },
  ]);

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
    [version],
  );
  const paths = useMemo(() => editorFiles.map((f) => f.path), [editorFiles]);
  const pythonFiles = [MAIN, ...uploads.filter((u) => u.path.endsWith('.py')).map((u) => u.path)];

  const result = resultOf(follow.job);
  const { heat, selectFunction } = useProfileHeat({ result, paths, activePath, editor, editorSection });

  const restoreExample = () => {
    if (!window.confirm('Replace the script in the editor with the example?')) return;
    setScript(EXAMPLE);
    scriptRef.current = EXAMPLE;
    setCandidates('primes_slow\nprimes_sieve');
    setVersion((v) => v + 1);
  };

  const busy = live || starting !== null;
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
        <section className="workspace-main" aria-label="Script" ref={editorSection}>
          <div className="toolbar" role="toolbar" aria-label="Actions">
            {(['run', 'profile'] as const).map((kind) => (
              <button
                key={kind}
                type="button"
                className={`button${kind === 'profile' ? ' button-primary' : ''}`}
                onClick={() => void start(kind)}
                disabled={busy}
                title={`${kind === 'run' ? 'Run' : 'Profile'} (${shortcutLabel(SHORTCUTS[kind])})`}
                aria-keyshortcuts={ariaShortcut(SHORTCUTS[kind])}
                data-testid={`${kind}-button`}
              >
                {starting === kind
                  ? `${kind === 'run' ? 'Run' : 'Profile'}…`
                  : kind === 'run'
                    ? 'Run'
                    : 'Profile'}
                <kbd className="shortcut" aria-hidden="true">
                  {shortcutLabel(SHORTCUTS[kind])}
                </kbd>
              </button>
            ))}
            <span className="toolbar-spacer" />
            <button type="button" className="button button-small button-quiet" onClick={restoreExample}>
              Load the example
            </button>
          </div>
          {startError && (
            <p className="bad small" role="alert">
              Could not start: {startError}
            </p>
          )}
          <CodeEditor
            ref={editor}
            files={editorFiles}
            activePath={activePath}
            onActivePathChange={setActivePath}
            onChange={onChange}
            theme={theme}
            heat={heat}
            version={version}
            label="Workbench script"
          />
          <Console follow={follow} idleText="Run or profile the script; its output appears here." />
        </section>
        <aside className="workspace-side" aria-label="Files and options">
          <section className="card" aria-labelledby="files-title">
            <h2 id="files-title">Files</h2>
            <p className="muted small">
              The script is <code>main.py</code>. Add modules or data files it reads (up to{' '}
              {formatBytes(MAX_FILE_BYTES)} each).
            </p>
            <label className="file-input">
              <span className="button button-small">Upload files…</span>
              <input
                type="file"
                multiple
                onChange={(event) => void onFiles(event)}
                data-testid="upload-input"
              />
            </label>
            {uploadErrors.length > 0 && (
              <ul className="bad small" role="alert">
                {uploadErrors.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            )}
            {uploads.length > 0 && (
              <ul className="upload-list" data-testid="upload-list">
                {uploads.map((u) => (
                  <li key={u.path}>
                    <code>{u.path}</code>
                    <span className="muted small">
                      {formatBytes(u.sizeBytes)}
                      {u.base64 ? ', binary' : ''}
                    </span>
                    <button
                      type="button"
                      className="button button-small button-quiet"
                      onClick={() => remove(u.path)}
                      aria-label={`Remove ${u.path}`}
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {pythonFiles.length > 1 && (
              <label className="field">
                <span>Program to run</span>
                <select value={entry} onChange={(event) => setEntry(event.target.value)}>
                  {pythonFiles.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </section>
          <section className="card" aria-labelledby="input-title">
            <h2 id="input-title">Input</h2>
            <label className="field">
              <span>Arguments</span>
              <input
                type="text"
                value={args}
                onChange={(event) => setArgs(event.target.value)}
                placeholder={'--size 1000 "a file.csv"'}
                spellCheck={false}
                className="mono"
              />
            </label>
            <label className="field">
              <span>Standard input</span>
              <textarea
                value={stdin}
                onChange={(event) => setStdin(event.target.value)}
                rows={3}
                spellCheck={false}
                className="mono"
              />
            </label>
          </section>
          <section className="card" aria-labelledby="timeit-title">
            <h2 id="timeit-title">Compare with timeit</h2>
            <label className="field">
              <span>
                Functions (called with no arguments) or expressions from <code>{entry}</code>, one per line
              </span>
              <textarea
                value={candidates}
                onChange={(event) => setCandidates(event.target.value)}
                rows={3}
                spellCheck={false}
                className="mono"
                data-testid="timeit-candidates"
              />
            </label>
            <button
              type="button"
              className="button"
              onClick={() => void start('timeit')}
              disabled={busy || candidateList.length < 2}
              data-testid="timeit-button"
            >
              {starting === 'timeit' ? 'Comparing…' : `Compare ${candidateList.length} candidates`}
            </button>
            <p className="muted small">
              Each sample runs in a fresh interpreter, in shuffled order; the result gives ratios with a 95%
              interval.
            </p>
          </section>
        </aside>
      </div>
      {follow.job && (
        <section className="results" aria-label="Result" data-testid="results">
          <h2 className="visually-hidden">Result</h2>
          <JobResult job={follow.job} onSelectFunction={selectFunction} />
        </section>
      )}
    </div>
  );
}
