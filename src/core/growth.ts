/**
 * Fits how running time grows with input size, for growth checks ("grows like n², the
 * reference like n"). Each model is t = a + b·f(n) with a, b ≥ 0, fitted by least squares
 * on relative error (times span decades, so every point counts alike). The simplest model
 * whose error is within a tolerance of the best one wins: extra growth must earn its place.
 */

export const GROWTH_MODELS = ['constant', 'log n', 'n', 'n log n', 'n²', 'n³'] as const;
export type GrowthModel = (typeof GROWTH_MODELS)[number];

const SHAPES: Record<GrowthModel, (n: number) => number> = {
  constant: () => 0,
  'log n': (n) => Math.log(n),
  n: (n) => n,
  'n log n': (n) => n * Math.log(n),
  'n²': (n) => n * n,
  'n³': (n) => n * n * n,
};

export interface GrowthPoint {
  n: number;
  /** Seconds (or any unit, as long as all points share it). */
  time: number;
}

export interface GrowthFit {
  model: GrowthModel;
  /** Relative root-mean-square error of the chosen model. */
  relativeError: number;
  /** Slope of log(time) against log(n) over the larger half of the sizes. */
  logLogSlope: number;
  errors: Record<GrowthModel, number>;
}

function fitModel(points: readonly GrowthPoint[], shape: (n: number) => number): number {
  // Weighted least squares with weights 1/t², minimising Σ((a + b·f − t)/t)².
  let sww = 0;
  let swf = 0;
  let swff = 0;
  let swt = 0;
  let swft = 0;
  for (const { n, time } of points) {
    const w = 1 / (time * time);
    const f = shape(n);
    sww += w;
    swf += w * f;
    swff += w * f * f;
    swt += w * time;
    swft += w * f * time;
  }
  const det = sww * swff - swf * swf;
  let a: number;
  let b: number;
  if (Math.abs(det) < 1e-300) {
    a = swt / sww;
    b = 0;
  } else {
    a = (swff * swt - swf * swft) / det;
    b = (sww * swft - swf * swt) / det;
  }
  // Clamp to a, b ≥ 0 and refit the remaining parameter.
  if (b < 0) {
    b = 0;
    a = swt / sww;
  }
  if (a < 0) {
    a = 0;
    b = swff > 0 ? swft / swff : 0;
  }
  const squares = points.reduce((sum, { n, time }) => sum + ((a + b * shape(n) - time) / time) ** 2, 0);
  return Math.sqrt(squares / points.length);
}

export function logLogSlope(points: readonly GrowthPoint[]): number {
  const sorted = [...points].sort((p, q) => p.n - q.n);
  const upper = sorted.slice(Math.floor(sorted.length / 2));
  const xs = upper.map((p) => Math.log(p.n));
  const ys = upper.map((p) => Math.log(p.time));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den > 0 ? num / den : 0;
}

/**
 * @param tolerance a simpler model is preferred while its error is at most best·(1+tolerance) + floor.
 */
export function fitGrowth(points: readonly GrowthPoint[], tolerance = 0.25, floor = 0.03): GrowthFit {
  if (points.length < 3) throw new RangeError('growth fitting needs at least three sizes');
  const errors = Object.fromEntries(GROWTH_MODELS.map((m) => [m, fitModel(points, SHAPES[m])])) as Record<
    GrowthModel,
    number
  >;
  const best = Math.min(...Object.values(errors));
  const model = GROWTH_MODELS.find((m) => errors[m] <= best * (1 + tolerance) + floor) as GrowthModel;
  return { model, relativeError: errors[model], logLogSlope: logLogSlope(points), errors };
}

/** Position in the order of growth; n and n log n share a tier (hard to tell apart in two decades). */
export function growthTier(model: GrowthModel): number {
  return { constant: 0, 'log n': 0, n: 1, 'n log n': 1, 'n²': 2, 'n³': 3 }[model];
}
