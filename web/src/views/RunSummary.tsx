import type { RunResultView } from '../../../src/core/api.js';
import { NotIsolatedBadge, StatusMark } from './Badges';
import { StuckLines } from './HangEvidenceView';
import { formatMs, formatNumber } from './format';
import './views.css';

export interface RunSummaryProps {
  run: RunResultView;
}

const STATUS_TEXT: Record<RunResultView['status'], string> = {
  ok: 'Finished',
  'program-failed': 'Failed',
  limit: 'Stopped at a limit',
  cancelled: 'Cancelled',
  'setup-error': 'Could not start',
};

/** Runner messages are lower-case clauses; shown alone they read better as a sentence. */
const asSentence = (text: string) =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

export function RunSummary({ run }: RunSummaryProps) {
  const ok = run.status === 'ok';
  return (
    <section
      className="pv-root pv-run"
      data-testid="run-summary"
      data-status={run.status}
      aria-label="Run summary"
    >
      <p className="pv-headline">
        <StatusMark passed={ok} passText={STATUS_TEXT.ok} failText={STATUS_TEXT[run.status]} /> —{' '}
        {asSentence(run.message)}
      </p>
      <dl className="pv-facts">
        <Fact label={run.signal ? 'Signal' : 'Exit code'} value={run.signal ?? run.exitCode ?? '—'} />
        <Fact label="Wall time" value={formatMs(run.wallMs)} />
        <Fact label="CPU time" value={formatMs(run.cpuMs)} />
        <Fact label="Peak memory" value={`${formatNumber(run.peakMemoryKb / 1024)} MB`} />
        <Fact label="CPUs" value={run.cpusAvailable ?? '—'} />
        {run.queueWaitMs >= 1 && <Fact label="Waited in queue" value={formatMs(run.queueWaitMs)} />}
        <Fact label="Sandbox" value={run.sandbox} />
      </dl>
      {!run.isolated && (
        <p className="pv-note" role="note">
          <NotIsolatedBadge sandbox={run.sandbox} /> This run was not sandboxed: it shared the machine with
          other programs, so timings are noisier and the code could reach your files.
        </p>
      )}
      {run.exception && (
        <div className="pv-exception">
          <h4 className="pv-subheading">
            {run.exception.type}: {run.exception.message}
          </h4>
          <pre className="pv-pre">{run.exception.traceback}</pre>
        </div>
      )}
      {run.hang && run.hang.lines.length > 0 && <StuckLines lines={run.hang.lines} />}
    </section>
  );
}

export default RunSummary;

function Fact({ label, value }: { label: string; value: string | number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
