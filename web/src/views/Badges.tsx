import type { CheckStatus } from '../../../src/core/verify-report.js';

/** Pass/fail marks carry a word as well as an icon and colour, so colour is never the only signal. */
export function StatusMark({
  passed,
  status,
  passText = 'passed',
  failText = 'failed',
  undecidedText = 'undecided',
}: {
  passed: boolean;
  /** A verification check's status; `undecided` gets its own mark, word and colour. */
  status?: CheckStatus;
  passText?: string;
  failText?: string;
  undecidedText?: string;
}) {
  const shown: CheckStatus = status ?? (passed ? 'passed' : 'failed');
  const look = { passed: 'pv-is-ok', failed: 'pv-is-bad', undecided: 'pv-is-undecided' }[shown];
  const icon = { passed: '✓', failed: '✗', undecided: '?' }[shown];
  const text = { passed: passText, failed: failText, undecided: undecidedText }[shown];
  return (
    <span className={`pv-mark ${look}`}>
      <span aria-hidden="true">{icon}</span> {text}
    </span>
  );
}

export function NotIsolatedBadge({ sandbox }: { sandbox: string }) {
  return (
    <span
      className="pv-badge pv-badge-warn"
      title={`Sandbox "${sandbox}" does not isolate the program from this machine: timings share the CPU with everything else, and the code can reach your files.`}
    >
      <span aria-hidden="true">⚠ </span>not isolated
    </span>
  );
}
