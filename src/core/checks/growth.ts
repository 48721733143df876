/** Growth: the learner's time-against-size curve may grow no steeper than the allowed model. */
import type { Measurement } from '../documents.js';
import { fitGrowth, growthTier, type GrowthFit } from '../growth.js';
import type { CheckResultOf } from '../verify-report.js';
import { decided, type CheckOf } from './result.js';

/** A fit needs at least this many sizes. */
const MIN_POINTS = 3;

const fitOf = (points: readonly { n: number; timeS: number }[]): GrowthFit =>
  fitGrowth(points.map((p) => ({ n: p.n, time: p.timeS })));

export function decideGrowth(
  check: CheckOf<'growth'>,
  m: Extract<Measurement, { kind: 'growth' }>,
): CheckResultOf<'growth'> {
  if (m.learner.length < MIN_POINTS)
    return decided(check, false, 'too few sizes finished to fit a growth curve (each call over 5 s?)', {
      measurement: m,
    });
  const learnerFit = fitOf(m.learner);
  const referenceFit = m.reference && m.reference.length >= MIN_POINTS ? fitOf(m.reference) : null;
  const limit = check.max === 'reference' ? (referenceFit?.model ?? 'n') : check.max;
  // A curve cut short because calls got too slow is itself evidence of steep growth.
  const passed = growthTier(learnerFit.model) <= growthTier(limit) && !m.stoppedAtN;
  const ref = referenceFit ? `, the reference like ${referenceFit.model}` : '';
  const stopped = m.stoppedAtN ? `; stopped before n=${m.stoppedAtN} because one call took over 5 s` : '';
  return decided(
    check,
    passed,
    `grows like ${learnerFit.model} (log-log slope ${learnerFit.logLogSlope.toFixed(2)})${ref}; allowed: ${limit}${stopped}`,
    { learner: m.learner, reference: m.reference ?? null, learnerFit, referenceFit, limit },
  );
}
