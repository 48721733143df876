/**
 * The controls that start jobs in the exercise workspace and the workbench: the toolbar's
 * buttons with their shortcuts, why a start failed, and the monospace text fields (stdin,
 * arguments, timeit candidates).
 */
import type { ReactNode } from 'react';
import type { JobLifecycle } from '../hooks/useJob';
import { ariaShortcut, shortcutLabel } from '../lib/format';

export interface RunButtonSpec<K extends string> {
  kind: K;
  label: string;
  /** A shortcut spec for lib/shortcuts (`Mod-Enter`). */
  shortcut: string;
  primary?: boolean;
}

/** One button a job kind (data-testid `<kind>-button`); the one starting reads "Label…". */
export function RunButtons<K extends string>({
  buttons,
  onStart,
  busy,
  starting,
}: {
  buttons: readonly RunButtonSpec<K>[];
  onStart: (kind: K) => void;
  busy: boolean;
  starting: K | null;
}) {
  return buttons.map(({ kind, label, shortcut, primary }) => (
    <button
      key={kind}
      type="button"
      className={`button${primary ? ' button-primary' : ''}`}
      onClick={() => onStart(kind)}
      disabled={busy}
      title={`${label} (${shortcutLabel(shortcut)})`}
      aria-keyshortcuts={ariaShortcut(shortcut)}
      data-testid={`${kind}-button`}
    >
      {starting === kind ? `${label}…` : label}
      <kbd className="shortcut" aria-hidden="true">
        {shortcutLabel(shortcut)}
      </kbd>
    </button>
  ));
}

/**
 * The Actions toolbar (the run buttons, then `children`), and below it why the last start
 * failed.
 */
export function JobToolbar<K extends string>({
  buttons,
  jobs,
  onStart,
  children,
}: {
  buttons: readonly RunButtonSpec<K>[];
  jobs: Pick<JobLifecycle<K>, 'busy' | 'starting' | 'startError'>;
  onStart: (kind: K) => void;
  children?: ReactNode;
}) {
  return (
    <>
      <div className="toolbar" role="toolbar" aria-label="Actions">
        <RunButtons buttons={buttons} onStart={onStart} busy={jobs.busy} starting={jobs.starting} />
        {children}
      </div>
      <StartError error={jobs.startError} />
    </>
  );
}

export function StartError({ error, what = '' }: { error: string | null; what?: string }) {
  if (!error) return null;
  return (
    <p className="bad small" role="alert">
      Could not start{what}: {error}
    </p>
  );
}

/** A labelled monospace text area (program input, not prose: no spell checking). */
export function CodeField({
  label,
  value,
  onChange,
  testId,
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <textarea
        value={value}
        onChange={(event) => onChange(event.target.value)}
        rows={3}
        spellCheck={false}
        className="mono"
        data-testid={testId}
      />
    </label>
  );
}
