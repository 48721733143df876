/** Pass/fail marks carry a word as well as an icon and colour, so colour is never the only signal. */
export function StatusMark({
  passed,
  passText = 'passed',
  failText = 'failed',
}: {
  passed: boolean;
  passText?: string;
  failText?: string;
}) {
  return (
    <span className={`pv-mark ${passed ? 'pv-is-ok' : 'pv-is-bad'}`}>
      <span aria-hidden="true">{passed ? '✓' : '✗'}</span> {passed ? passText : failText}
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
