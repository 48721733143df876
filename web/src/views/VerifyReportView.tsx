import {
  checkStatus,
  reportStatus,
  type CheckResult,
  type VerifyReport,
} from '../../../src/core/verify-report.js';
import { NotIsolatedBadge, StatusMark } from './Badges';
import { CheckViewsPanel } from './CheckViewsPanel';
import { splitCheckViews } from './check-views';
import { EvidenceList } from './EvidenceList';
import { GrowthPlot } from './GrowthPlot';
import { HangEvidenceView } from './HangEvidenceView';
import { SpeedEvidenceView } from './SpeedEvidenceView';
import { readGrowthEvidence, readHangEvidence, readSpeedEvidence } from './evidence';
import { formatMs } from './format';
import './views.css';

export interface VerifyReportViewProps {
  report: VerifyReport;
}

export function VerifyReportView({ report }: VerifyReportViewProps) {
  const statuses = report.checks.map(checkStatus);
  const passedCount = statuses.filter((s) => s === 'passed').length;
  const undecidedCount = statuses.filter((s) => s === 'undecided').length;
  const total = report.checks.length;
  const status = reportStatus(report);
  const look = { passed: 'pv-is-ok', failed: 'pv-is-bad', undecided: 'pv-is-undecided' }[status];
  return (
    <section
      className="pv-root pv-verify"
      data-testid="verify-report"
      data-passed={String(report.passed)}
      data-status={status}
      aria-label="Verification report"
    >
      <div className={`pv-banner ${look}`} role="status">
        <p className="pv-banner-title">
          <StatusMark
            passed={report.passed}
            status={status}
            passText="Passed"
            failText="Not yet"
            undecidedText="Undecided"
          />
          {': '}
          {status === 'passed'
            ? `all ${total} check${total === 1 ? '' : 's'} pass`
            : `${passedCount} of ${total} checks pass` +
              (undecidedCount > 0
                ? `; ${undecidedCount} could not be decided on this machine now${status === 'undecided' ? ' (none failed)' : ''}`
                : '')}
        </p>
        {undecidedCount > 0 && (
          <p className="pv-small" data-testid="verify-undecided-note">
            Undecided is not failed: the machine was too busy (or its timings too noisy) to tell, even after
            waiting and measuring again. It is not counted as solved yet — verify again when the machine is
            quieter.
          </p>
        )}
        <p className="pv-small">
          Graded {report.graded} in {formatMs(report.wallMs)} · sandbox {report.sandbox}{' '}
          {!report.isolated && <NotIsolatedBadge sandbox={report.sandbox} />}
        </p>
      </div>
      <ol className="pv-checks">
        {report.checks.map((check) => (
          <CheckItem key={check.id} check={check} />
        ))}
      </ol>
    </section>
  );
}

export default VerifyReportView;

function CheckItem({ check }: { check: CheckResult }) {
  const status = checkStatus(check);
  return (
    <li
      className={`pv-check${status === 'undecided' ? ' pv-check-undecided' : ''}`}
      data-testid="verify-check"
      data-passed={String(check.passed)}
      data-status={status}
      data-kind={check.kind}
    >
      <h4 className="pv-check-title">
        <StatusMark passed={check.passed} status={status} />
        <span>{check.title}</span>
        <span className="pv-tag">{check.kind}</span>
      </h4>
      <p className="pv-check-sentence">{check.sentence}</p>
      <CheckEvidence check={check} />
      <CheckViewsOf evidence={check.evidence} />
    </li>
  );
}

function CheckEvidence({ check }: { check: CheckResult }) {
  if (check.kind === 'speed') {
    const speed = readSpeedEvidence(check);
    if (speed)
      return (
        <SpeedEvidenceView
          evidence={speed}
          passed={check.passed}
          undecided={checkStatus(check) === 'undecided'}
        />
      );
  }
  if (check.kind === 'growth') {
    const growth = readGrowthEvidence(check.evidence);
    if (growth) return <GrowthPlot evidence={growth} />;
  }
  if (check.kind === 'hang') {
    const hang = readHangEvidence(check.evidence);
    if (hang) return <HangEvidenceView evidence={hang} />;
  }
  return <EvidenceList evidence={splitCheckViews(check.evidence).rest} />;
}

/** A concurrency check's timeline or a memory check's flame graph at the peak, when it has one. */
function CheckViewsOf({ evidence }: { evidence: Record<string, unknown> }) {
  const { views } = splitCheckViews(evidence);
  return views ? <CheckViewsPanel views={views} /> : null;
}
