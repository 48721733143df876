/**
 * Relative speed: the learner's call against a baseline (the starter: at least K× faster; the
 * reference: within K× of its time), on paired samples from interleaved rounds. A straddling
 * interval asks for more rounds; at the round cap, a wide one is noise (wait and measure
 * afresh, then undecided) and a narrow one is a borderline solution the point estimate decides.
 */
import type { Measurement } from '../documents.js';
import { formatRatio, formatRatioInterval } from '../format.js';
import { median } from '../stats.js';
import { decideSpeedup, pairedSpeedup, type SpeedupEstimate } from '../verdict.js';
import type { CheckResultOf, EvidenceOf } from '../verify-report.js';
import { decided, NOT_YOUR_CODE, undecided, type CheckOf, type NeedsMore } from './result.js';

/** Rounds after which a straddling interval is decided (or undecided), not measured further. */
export const MAX_SPEED_ROUNDS = 25;
/**
 * At the round cap, a 95% speed-up interval wider than this ratio (high / low) that still
 * straddles the threshold is noise, and the check is undecided; a narrower one is a
 * borderline solution, decided by the point estimate.
 */
export const MAX_DECIDABLE_SPREAD = 1.25;

/** Is a speed-up interval too wide to decide by its point estimate? (see MAX_DECIDABLE_SPREAD) */
export function speedTooNoisy(estimate: SpeedupEstimate): boolean {
  return estimate.high / estimate.low > MAX_DECIDABLE_SPREAD;
}

/** The speed-up over the baseline the check needs: atLeast, or 1 / within. */
export function requiredSpeedup(check: CheckOf<'speed'>): number {
  return check.atLeast ?? 1 / (check.within as number);
}

type SpeedMeasurement = Extract<Measurement, { kind: 'speed' }>;

export function decideSpeed(
  check: CheckOf<'speed'>,
  m: SpeedMeasurement,
  finalRound: boolean,
): CheckResultOf<'speed'> | NeedsMore {
  if (m.wrongResult) {
    const w = m.wrongResult;
    return decided(
      check,
      false,
      `returns a wrong result while timed: ${w.argsSummary} gave ${w.actualRepr}, expected ${w.expectedRepr}`,
      { wrongResult: w },
    );
  }
  const estimate = pairedSpeedup(m.baselineS, m.candidateS);
  const required = requiredSpeedup(check);
  const evidence: EvidenceOf<'speed'> = {
    speedup: estimate.speedup,
    interval: [estimate.low, estimate.high],
    rounds: estimate.rounds,
    baselineMedianS: median(m.baselineS),
    candidateMedianS: median(m.candidateS),
    atLeast: check.atLeast ?? null,
    within: check.within ?? null,
    requiredSpeedup: required,
  };
  let decision = decideSpeedup(estimate, required, false);
  if (decision === 'undecided') {
    const straddles = `${formatRatioInterval(estimate.low, estimate.high)} straddles the ${formatRatio(required)} needed after ${estimate.rounds} rounds`;
    const atRoundCap = m.baselineS.length >= MAX_SPEED_ROUNDS;
    if (!atRoundCap && !finalRound)
      return { more: 'rounds', reason: `the speed-up's 95% interval ${straddles}` };
    if (speedTooNoisy(estimate)) {
      if (!finalRound)
        return { more: 'wait', reason: `the timings are too noisy to decide (interval ${straddles})` };
      return undecided(
        check,
        `could not be decided on this machine now: the timings were too noisy (95% interval ${straddles}); ${NOT_YOUR_CODE}`,
        evidence,
      );
    }
    // A narrow interval around the threshold is a borderline solution, not noise: the
    // point estimate decides, as it always has at the round cap.
    decision = estimate.speedup >= required ? 'pass' : 'fail';
  }
  const passed = decision === 'pass';
  const measured = { ...evidence, loopsPerSample: m.loopsPerSample };
  if (check.atLeast !== undefined) {
    return decided(
      check,
      passed,
      `${passed ? '' : 'not yet fast enough: '}${formatRatio(estimate.speedup)} (95% interval ${formatRatioInterval(estimate.low, estimate.high)}, ${estimate.rounds} interleaved rounds) faster than the starter; needs at least ${formatRatio(check.atLeast)}`,
      measured,
    );
  }
  return decided(
    check,
    passed,
    `${formatRatio(1 / estimate.speedup)} the reference's time (interval ${formatRatioInterval(1 / estimate.high, 1 / estimate.low)}); allowed up to ${formatRatio(check.within as number)}`,
    measured,
  );
}
