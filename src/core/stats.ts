/**
 * Small, dependency-free statistics for timing comparisons. All functions are pure; the
 * bootstrap uses a seeded generator so the same samples always give the same interval.
 */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

export interface SampleSummary {
  min: number;
  median: number;
  max: number;
  /** Interquartile range divided by the median: a unitless spread, 0.05 = 5 %. */
  relativeIqr: number;
  count: number;
}

export function summariseSamples(values: readonly number[]): SampleSummary {
  const mid = median(values);
  return {
    min: Math.min(...values),
    median: mid,
    max: Math.max(...values),
    relativeIqr: mid > 0 ? (quantile(values, 0.75) - quantile(values, 0.25)) / mid : 0,
    count: values.length,
  };
}

/** mulberry32: a tiny seeded PRNG, good enough for resampling. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A bootstrap resample: as many values as the input, drawn with replacement. */
export function resampleOf(values: readonly number[], random: () => number): number[] {
  return Array.from({ length: values.length }, () => values[Math.floor(random() * values.length)] as number);
}

/** A percentile-bootstrap 95 % interval. */
export interface Interval95 {
  low: number;
  high: number;
}

/** How a bootstrap draws: how many resamples, from which seed (the same seed gives the same interval). */
export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/** median(numerator) / median(denominator), > 1 when the numerator is slower, with its interval. */
export interface RatioEstimate extends Interval95 {
  ratio: number;
}

/**
 * Ratio of medians with a percentile-bootstrap 95 % interval. With samples taken in
 * interleaved rounds, drift of the machine's speed affects both sides alike.
 */
export function ratioOfMedians(
  numerator: readonly number[],
  denominator: readonly number[],
  { resamples = 2000, seed = 1 }: BootstrapOptions = {},
): RatioEstimate {
  const draw = (random: () => number) =>
    median(resampleOf(numerator, random)) / median(resampleOf(denominator, random));
  return { ratio: median(numerator) / median(denominator), ...bootstrap95(draw, resamples, seed) };
}

/**
 * A percentile-bootstrap 95 % interval: `draw` computes the statistic on one resample (drawn
 * with the generator it is given), `resamples` times, from a generator seeded with `seed`.
 */
export function bootstrap95(
  draw: (random: () => number) => number,
  resamples: number,
  seed: number,
): Interval95 {
  const random = seededRandom(seed);
  const draws = Array.from({ length: resamples }, () => draw(random));
  return { low: quantile(draws, 0.025), high: quantile(draws, 0.975) };
}
