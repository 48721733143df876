import type { HangEvidence } from './evidence';
import { formatMs } from './format';

export function StuckLines({ lines }: { lines: readonly string[] }) {
  return (
    <div className="pv-stuck">
      <h5 className="pv-subheading">Where it was stuck</h5>
      <pre className="pv-pre pv-pre-wrap">{lines.join('\n')}</pre>
    </div>
  );
}

export function CapturedOutput({ label, text }: { label: string; text: string }) {
  if (text === '') return null;
  return (
    <div>
      <h5 className="pv-subheading">{label}</h5>
      <pre className="pv-pre">{text}</pre>
    </div>
  );
}

export function HangEvidenceView({ evidence }: { evidence: HangEvidence }) {
  return (
    <div className="pv-hang">
      {(evidence.wallMs !== null || evidence.exitCode !== null) && (
        <p className="pv-muted pv-small">
          {evidence.wallMs !== null && `Ran for ${formatMs(evidence.wallMs)}`}
          {evidence.wallMs !== null && evidence.exitCode !== null && '; '}
          {evidence.exitCode !== null && `exit code ${evidence.exitCode}`}.
        </p>
      )}
      {evidence.stuck.length > 0 && <StuckLines lines={evidence.stuck} />}
      <CapturedOutput label="Captured stdout" text={evidence.stdout} />
      <CapturedOutput label="Captured stderr" text={evidence.stderr} />
    </div>
  );
}
