/**
 * A code-reading question's recorded tool output (DrillOutput): the program, the command that
 * reproduces it, and the result in perflab's own views (the function table and flame graph of
 * ProfileView, or TimeitChart), exactly as the workbench shows a job of that kind.
 *
 * Default-exported so pages can load it with React.lazy: the profile views and Chart.js then
 * stay out of every page until a code-reading question is on screen.
 */
import { useState } from 'react';
import type { JobResultView, ProfileResultView, TimeitResultView } from '../api/types';
import type { DrillOutput } from '../../../src/core/drill-api.js';
import { ProfileView } from '../views/ProfileView';
import { RunSummary } from '../views/RunSummary';
import { TimeitChart } from '../views/TimeitChart';
import { CodeBlock } from './CodeBlock';
import { ErrorBoundary } from './ErrorBoundary';
import '../styles/drill-sessions.css';

export interface DrillOutputViewProps {
  output: DrillOutput;
  /** Whether the program's source starts expanded (default: yes; the question is about it). */
  sourceOpen?: boolean;
}

export function DrillOutputView({ output, sourceOpen = true }: DrillOutputViewProps) {
  const recorded = new Date(output.recordedAtMs);
  return (
    <section
      className="drill-output"
      aria-label={`Recorded ${output.tool} output of ${output.program.name}`}
      data-testid="drill-output"
      data-tool={output.tool}
    >
      <details className="drill-output-source" open={sourceOpen}>
        <summary>
          <span className="mono">{output.program.name}</span>
        </summary>
        <CodeBlock code={output.program.source} label={`Source of ${output.program.name}`} />
      </details>
      <div className="drill-output-command">
        <span className="muted small">Reproduce it:</span>
        <code className="mono" data-testid="drill-output-command">
          {output.command}
        </code>
        <CopyButton text={output.command} />
      </div>
      <div className="drill-output-result" data-testid="drill-output-result" data-kind={output.result.kind}>
        <ErrorBoundary what="The recorded output">
          <RecordedResult result={output.result as unknown as JobResultView} />
        </ErrorBoundary>
      </div>
      <p className="muted small">
        Recorded with Python {output.python} on{' '}
        <time dateTime={recorded.toISOString()}>{recorded.toLocaleDateString()}</time>;{' '}
        <code className="mono">perflab check</code> keeps it current.
      </p>
    </section>
  );
}

export default DrillOutputView;

/**
 * The result by kind. A recording is read from course files, so its shape is checked before a
 * view gets it: a missing part is said in words rather than thrown from deep inside a view.
 */
function RecordedResult({ result }: { result: JobResultView }) {
  if (result.kind === 'profile') {
    const { kind: _kind, ...profile } = result;
    if (!isProfileView(profile)) return <Unreadable />;
    return (
      <>
        <ProfileView result={profile} />
        {profile.run.status !== 'ok' && <RunSummary run={profile.run} />}
      </>
    );
  }
  if (result.kind === 'timeit') {
    const { kind: _kind, ...timeit } = result;
    if (!isTimeitView(timeit)) return <Unreadable />;
    return timeit.report ? (
      <TimeitChart report={timeit.report} gcEnabled={timeit.gcEnabled} />
    ) : (
      <p className="muted">No timings were recorded.</p>
    );
  }
  return <Unreadable />;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function isProfileView(value: unknown): value is ProfileResultView {
  return (
    isObject(value) &&
    isObject(value.run) &&
    Array.isArray(value.callTree) &&
    Array.isArray(value.hot) &&
    (value.profile === null || (isObject(value.profile) && Array.isArray(value.profile.functions)))
  );
}

function isTimeitView(value: unknown): value is TimeitResultView {
  return (
    isObject(value) &&
    isObject(value.run) &&
    (value.report === null || (isObject(value.report) && Array.isArray(value.report.candidates)))
  );
}

function Unreadable() {
  return (
    <p className="state state-error" role="note">
      This recording is not in a shape perflab can show; run the command above to see the output.
    </p>
  );
}

/** Copies the command; says so for a moment (and for screen readers, in a live region). */
function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () => {
    // navigator.clipboard exists only in secure contexts (https or localhost).
    if (!('clipboard' in navigator)) return setCopied('failed');
    navigator.clipboard.writeText(text).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );
    window.setTimeout(() => setCopied('idle'), 2000);
  };
  return (
    <>
      <button type="button" className="button button-small button-quiet" onClick={copy}>
        Copy
      </button>
      <span className="small muted" role="status" aria-live="polite">
        {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Copy failed: select the text' : ''}
      </span>
    </>
  );
}
