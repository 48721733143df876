/**
 * Decisions for relative-speed checks, made on paired samples from interleaved rounds.
 * A check never fails on noise: when the interval straddles the threshold the caller
 * measures more, and only at its round cap does the point estimate decide.
 */
import { bootstrap95, median, resampleOf, type BootstrapOptions, type Interval95 } from './stats.js';

export type SpeedDecision = 'pass' | 'fail' | 'undecided';

/** The median paired speed-up (baselineTime / candidateTime: 3 means 3× faster) and its interval. */
export interface SpeedupEstimate extends Interval95 {
  speedup: number;
  rounds: number;
}

/** The speed-up over rounds, each round's baseline and candidate timed together (paired). */
export function pairedSpeedup(
  baselineS: readonly number[],
  candidateS: readonly number[],
  { resamples = 2000, seed = 7 }: BootstrapOptions = {},
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
