import type { SpeedEvidence } from './evidence';
import { formatRatio, formatRatioInterval, formatSeconds } from './format';

const WIDTH = 320;
const HEIGHT = 70;
const PAD = 18;
const AXIS_Y = 48;
const MARK_Y = 32;

/** The quantity shown: speed-up over the starter, or the learner's time as a multiple of the reference's. */
function displayed(evidence: SpeedEvidence) {
  if (evidence.threshold?.kind === 'within') {
    return {
      value: 1 / evidence.speedup,
      low: 1 / evidence.high,
      high: 1 / evidence.low,
      unit: "the reference's time",
      baseline: 'reference',
      rule: `allowed up to ${formatRatio(evidence.threshold.value)}`,
      thresholdLabel: `≤ ${formatRatio(evidence.threshold.value)}`,
    };
  }
  return {
    value: evidence.speedup,
    low: evidence.low,
    high: evidence.high,
    unit: 'faster than the starter',
    baseline: 'starter',
    rule: evidence.threshold ? `needs at least ${formatRatio(evidence.threshold.value)}` : '',
    thresholdLabel: evidence.threshold ? `≥ ${formatRatio(evidence.threshold.value)}` : '',
  };
}

const NICE_STEPS = [1, 2, 5];

function ticksBetween(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let exponent = -4; exponent <= 5; exponent++) {
    for (const step of NICE_STEPS) {
      const tick = step * 10 ** exponent;
      if (tick >= low && tick <= high) ticks.push(tick);
    }
  }
  // A wide range keeps only the powers of ten.
  return ticks.length > 7 ? ticks.filter((t) => Number.isInteger(Math.log10(t))) : ticks;
}

export function SpeedEvidenceView({
  evidence,
  passed,
  undecided = false,
}: {
  evidence: SpeedEvidence;
  passed: boolean;
  /** Too noisy to decide: the interval is drawn in the undecided colour, not failed's. */
  undecided?: boolean;
}) {
  const shown = displayed(evidence);
  const threshold = evidence.threshold?.value ?? null;
  const marks = [shown.low, shown.high, 1, ...(threshold === null ? [] : [threshold])];
  const low = Math.min(...marks) / 1.4;
  const high = Math.max(...marks) * 1.4;
  const x = (value: number) =>
    PAD + ((Math.log(value) - Math.log(low)) / (Math.log(high) - Math.log(low))) * (WIDTH - 2 * PAD);
  const caption =
    `${formatRatio(shown.value)} ${shown.unit} ` +
    `(95% interval ${formatRatioInterval(shown.low, shown.high)}` +
    `${evidence.rounds ? `, ${evidence.rounds} interleaved rounds` : ''})` +
    `${shown.rule ? `; ${shown.rule}` : ''}.`;

  return (
    <figure className="pv-speed">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className={`pv-speed-axis ${undecided ? 'pv-is-undecided' : passed ? 'pv-is-ok' : 'pv-is-bad'}`}
        role="img"
        aria-label={caption}
      >
        <line className="pv-axis" x1={PAD} x2={WIDTH - PAD} y1={AXIS_Y} y2={AXIS_Y} />
        {ticksBetween(low, high).map((tick) => (
          <g key={tick}>
            <line className="pv-axis" x1={x(tick)} x2={x(tick)} y1={AXIS_Y} y2={AXIS_Y + 4} />
            <text className="pv-axis-label" x={x(tick)} y={AXIS_Y + 15} textAnchor="middle">
              {formatRatio(tick)}
            </text>
          </g>
        ))}
        {threshold !== null && (
          <g>
            <line className="pv-threshold" x1={x(threshold)} x2={x(threshold)} y1={14} y2={AXIS_Y} />
            <text className="pv-threshold-label" x={x(threshold)} y={10} textAnchor="middle">
              {shown.thresholdLabel}
            </text>
          </g>
        )}
        <line className="pv-interval" x1={x(shown.low)} x2={x(shown.high)} y1={MARK_Y} y2={MARK_Y} />
        <line className="pv-interval" x1={x(shown.low)} x2={x(shown.low)} y1={MARK_Y - 5} y2={MARK_Y + 5} />
        <line className="pv-interval" x1={x(shown.high)} x2={x(shown.high)} y1={MARK_Y - 5} y2={MARK_Y + 5} />
        <circle className="pv-estimate" cx={x(shown.value)} cy={MARK_Y} r={4.5} />
      </svg>
      {evidence.baselineMedianS !== null && evidence.candidateMedianS !== null && (
        <figcaption className="pv-muted pv-small">
          Median time per call: {shown.baseline} {formatSeconds(evidence.baselineMedianS)}, yours{' '}
          {formatSeconds(evidence.candidateMedianS)}. The bar is the 95% interval, the dot the median
          {evidence.threshold ? ', the dashed line the threshold' : ''}.
        </figcaption>
      )}
    </figure>
  );
}
