/** Overlap: blocking calls must run concurrently, finishing within about one call's latency. */
import type { Measurement } from '../documents.js';
import { formatSeconds } from '../format.js';
import type { CheckResultOf } from '../verify-report.js';
import { decided, type CheckOf } from './result.js';

export function decideOverlap(
  check: CheckOf<'overlap'>,
  m: Extract<Measurement, { kind: 'overlap' }>,
): CheckResultOf<'overlap'> {
  const latencyS = check.latencyMs / 1000;
  const budgetS = latencyS * (1 + check.slack);
  const wallS = m.wallS ?? Number.POSITIVE_INFINITY;
  const sequentialS = latencyS * check.requests;
  return decided(
    check,
    m.resultOk && wallS <= budgetS && m.maxInFlight >= 2,
    `${m.requestsServed} blocking calls of ${check.latencyMs} ms took ${formatSeconds(wallS)} with at most ${m.maxInFlight} in flight ` +
      `(one after another would take ${formatSeconds(sequentialS)}; overlapped should be under ${formatSeconds(budgetS)})` +
      (m.resultOk ? '' : '; the results differ from the reference'),
    { wallS: m.wallS, maxInFlight: m.maxInFlight, requestsServed: m.requestsServed, budgetS, sequentialS },
  );
}
