/** Correctness: every hidden case must match the reference; the first difference is named. */
import type { Measurement } from '../documents.js';
import type { CheckResultOf } from '../verify-report.js';
import { decided, type CheckOf } from './result.js';

/** How many differing cases the evidence keeps. */
const CASES_SHOWN = 5;

export function decideCorrectness(
  check: CheckOf<'correctness'>,
  m: Extract<Measurement, { kind: 'correctness' }>,
): CheckResultOf<'correctness'> {
  const failed = m.cases.filter((c) => !c.passed);
  if (failed.length === 0)
    return decided(check, true, `all ${m.cases.length} hidden cases match the reference`, {
      cases: m.cases.length,
    });
  const first = failed[0];
  const callName = check.call.split('.').pop() as string;
  // "count_pairs([1, 2])" for a call summary, "count_pairs 3 items" for any other.
  const shown = (summary: string | undefined) =>
    `${callName}${summary?.startsWith('(') ? '' : ' '}${summary ?? ''}`;
  const detail = first?.error
    ? `${shown(first.argsSummary)} raised ${first.error}`
    : `${shown(first?.argsSummary)} returned ${first?.actualRepr}, expected ${first?.expectedRepr}`;
  return decided(
    check,
    false,
    `${failed.length} of ${m.cases.length} hidden cases differ from the reference; first: ${detail}`,
    { failed: failed.slice(0, CASES_SHOWN), cases: m.cases.length },
  );
}
