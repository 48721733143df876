/** Memory per instance: bytes per object under a limit, and optionally no per-instance __dict__. */
import type { Measurement } from '../documents.js';
import type { CheckResultOf } from '../verify-report.js';
import { decided, type CheckOf } from './result.js';

export function decideMemoryPerInstance(
  check: CheckOf<'memory-per-instance'>,
  m: Extract<Measurement, { kind: 'memory-per-instance' }>,
): CheckResultOf<'memory-per-instance'> {
  const bytes = m.bytesPerInstance ?? Number.POSITIVE_INFINITY;
  const dictProblem = check.noDict && m.hasDict;
  const dictClause = !check.noDict
    ? ''
    : m.hasDict
      ? '; instances still carry a __dict__'
      : '; no per-instance __dict__';
  return decided(
    check,
    bytes <= check.maxBytes && !dictProblem,
    `${Number.isFinite(bytes) ? bytes.toFixed(0) : '?'} bytes per ${m.className ?? 'instance'} (allowed ${check.maxBytes})${dictClause}`,
    { bytesPerInstance: m.bytesPerInstance, hasDict: m.hasDict, className: m.className ?? null },
  );
}
