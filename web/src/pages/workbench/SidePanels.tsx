/** The workbench's side: uploaded files and which one runs, the program's input, and timeit. */
import type { ChangeEvent } from 'react';
import { CodeField } from '../../components/JobControls';
import { formatBytes } from '../../lib/format';
import type { KeptFields } from './kept';
import { MAX_FILE_BYTES, type Upload } from './uploads';

export function FilesCard({
  uploads,
  errors,
  onFiles,
  onRemove,
  pythonFiles,
  entry,
  onEntry,
}: {
  uploads: readonly Upload[];
  errors: readonly string[];
  onFiles: (event: ChangeEvent<HTMLInputElement>) => void;
  onRemove: (path: string) => void;
  /** main.py and the uploaded modules: the programs that can run. */
  pythonFiles: readonly string[];
  entry: string;
  onEntry: (path: string) => void;
}) {
  return (
    <section className="card" aria-labelledby="files-title">
      <h2 id="files-title">Files</h2>
      <p className="muted small">
        The script is <code>main.py</code>. Add modules or data files it reads (up to{' '}
        {formatBytes(MAX_FILE_BYTES)} each).
      </p>
      <label className="file-input">
        <span className="button button-small">Upload files…</span>
        <input type="file" multiple onChange={onFiles} data-testid="upload-input" />
      </label>
      {errors.length > 0 && (
        <ul className="bad small" role="alert">
          {errors.map((e) => (
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
                onClick={() => onRemove(u.path)}
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
          <select value={entry} onChange={(event) => onEntry(event.target.value)}>
            {pythonFiles.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      )}
    </section>
  );
}

export function InputCard({
  fields: { args, setArgs, stdin, setStdin },
}: {
  fields: Pick<KeptFields, 'args' | 'setArgs' | 'stdin' | 'setStdin'>;
}) {
  return (
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
      <CodeField label="Standard input" value={stdin} onChange={setStdin} />
    </section>
  );
}

export function TimeitCard({
  entry,
  candidates,
  onCandidates,
  count,
  onCompare,
  busy,
  comparing,
}: {
  entry: string;
  candidates: string;
  onCandidates: (text: string) => void;
  /** How many candidates the text names (at least two to compare). */
  count: number;
  onCompare: () => void;
  busy: boolean;
  comparing: boolean;
}) {
  return (
    <section className="card" aria-labelledby="timeit-title">
      <h2 id="timeit-title">Compare with timeit</h2>
      <CodeField
        label={
          <>
            Functions (called with no arguments) or expressions from <code>{entry}</code>, one per line
          </>
        }
        value={candidates}
        onChange={onCandidates}
        testId="timeit-candidates"
      />
      <button
        type="button"
        className="button"
        onClick={onCompare}
        disabled={busy || count < 2}
        data-testid="timeit-button"
      >
        {comparing ? 'Comparing…' : `Compare ${count} candidates`}
      </button>
      <p className="muted small">
        Each sample runs in a fresh interpreter, in shuffled order; the result gives ratios with a 95%
        interval.
      </p>
    </section>
  );
}
