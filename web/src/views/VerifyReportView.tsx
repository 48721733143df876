import type { CheckResult, VerifyReport } from '../../../src/core/verify-report.js';
import { NotIsolatedBadge, StatusMark } from './Badges';
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
  const passedCount = report.checks.filter((c) => c.passed).length;
  const total = report.checks.length;
  return (
    <section
      className="pv-root pv-verify"
      data-testid="verify-report"
      data-passed={String(report.passed)}
      aria-label="Verification report"
    >
      <div className={`pv-banner ${report.passed ? 'pv-is-ok' : 'pv-is-bad'}`} role="status">
        <p className="pv-banner-title">
          <StatusMark passed={report.passed} passText="Passed" failText="Not yet" />
          {': '}
          {report.passed
            ? `all ${total} check${total === 1 ? '' : 's'} pass`
            : `${passedCount} of ${total} checks pass`}
        </p>
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
  return (
    <li
      className="pv-check"
      data-testid="verify-check"
      data-passed={String(check.passed)}
      data-kind={check.kind}
    >
      <h4 className="pv-check-title">
        <StatusMark passed={check.passed} />
        <span>{check.title}</span>
        <span className="pv-tag">{check.kind}</span>
      </h4>
      <p className="pv-check-sentence">{check.sentence}</p>
      <CheckEvidence check={check} />
    </li>
  );
}

function CheckEvidence({ check }: { check: CheckResult }) {
  switch (check.kind) {
    case 'speed': {
      const speed = readSpeedEvidence(check);
      if (speed) return <SpeedEvidenceView evidence={speed} passed={check.passed} />;
      break;
    }
    case 'growth': {
      const growth = readGrowthEvidence(check.evidence);
      if (growth) return <GrowthPlot evidence={growth} />;
      break;
    }
    case 'hang': {
      const hang = readHangEvidence(check.evidence);
      if (hang) return <HangEvidenceView evidence={hang} />;
      break;
    }
  }
  return <EvidenceList evidence={check.evidence} />;
}
