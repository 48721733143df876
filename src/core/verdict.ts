/**
 * Decisions for relative-speed checks, made on paired samples from interleaved rounds.
 * A check never fails on noise: when the interval straddles the threshold the caller
 * measures more, and only at its round cap does the point estimate decide.
 */
import { bootstrap95, median, resampleOf } from './stats.js';

export type SpeedDecision = 'pass' | 'fail' | 'undecided';

export interface SpeedupEstimate {
  /** Median over rounds of baselineTime / candidateTime: 3 means the candidate is 3× faster. */
  speedup: number;
  /** 95 % bootstrap interval of the median paired speedup. */
  low: number;
  high: number;
  rounds: number;
}

export function pairedSpeedup(
  baselineS: readonly number[],
  candidateS: readonly number[],
  resamples = 2000,
  seed = 7,
): SpeedupEstimate {
  if (baselineS.length !== candidateS.length || baselineS.length === 0) {
    throw new RangeError('paired speedup needs the same, non-zero number of samples on both sides');
  }
  const ratios = baselineS.map((b, i) => b / (candidateS[i] as number));
  const interval = bootstrap95((random) => median(resampleOf(ratios, random)), resamples, seed);
  return { speedup: median(ratios), ...interval, rounds: ratios.length };
}

/** Is the candidate at least `minSpeedup`× faster than the baseline? (Use 1/K for "within K× of".) */
export function decideSpeedup(
  estimate: SpeedupEstimate,
  minSpeedup: number,
  finalRound: boolean,
): SpeedDecision {
  if (estimate.low >= minSpeedup) return 'pass';
  if (estimate.high < minSpeedup) return 'fail';
  if (!finalRound) return 'undecided';
  return estimate.speedup >= minSpeedup ? 'pass' : 'fail';
}
