import type { ChartConfiguration } from 'chart.js';
import type { GrowthEvidence, TimedPoint } from './evidence';
import { formatCount, formatRatio, formatSeconds, timeUnitFor } from './format';
import { logTickLabel, useChart, type Palette } from './use-chart';

function fitSentence(evidence: GrowthEvidence): string {
  const parts: string[] = [];
  const { learnerFit, referenceFit } = evidence;
  const slope = (s: number | null) => (s === null ? '' : ` (log-log slope ${s.toFixed(2)})`);
  if (learnerFit) parts.push(`your code grows like ${learnerFit.model}${slope(learnerFit.logLogSlope)}`);
  if (referenceFit) parts.push(`the reference like ${referenceFit.model}${slope(referenceFit.logLogSlope)}`);
  if (evidence.limit) parts.push(`allowed: ${evidence.limit}`);
  const sentence = parts.join('; ');
  return sentence
    ? `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`
    : 'Time per call against input size.';
}

/** Time per call against input size on log-log axes, where a power law is a straight line. */
export function GrowthPlot({ evidence }: { evidence: GrowthEvidence }) {
  const summary = fitSentence(evidence);
  const { canvasRef, state } = useChart((palette) => growthConfig(evidence, palette), evidence);
  return (
    <figure className="pv-growth">
      <div className="pv-chart pv-chart-square">
        <canvas ref={canvasRef} role="img" aria-label={`Log-log plot of time against n. ${summary}`}>
          {summary}
        </canvas>
        {state === 'failed' && (
          <p className="pv-muted">The plot could not be loaded; the table has the numbers.</p>
        )}
      </div>
      <figcaption className="pv-muted pv-small">
        Both axes are logarithmic, so growth like nᵏ is a straight line of slope k: slope 1 is linear, slope 2
        quadratic.
      </figcaption>
      <details className="pv-details">
        <summary>Measurements as a table</summary>
        <GrowthTable learner={evidence.learner} reference={evidence.reference} />
      </details>
    </figure>
  );
}

function growthConfig(evidence: GrowthEvidence, palette: Palette): ChartConfiguration {
  const allTimes = [...evidence.learner, ...(evidence.reference ?? [])].map((p) => p.timeS);
  const low = Math.min(...allTimes);
  const high = Math.max(...allTimes);
  const unit = timeUnitFor(Math.sqrt(low * high));
  const sizes = [...evidence.learner, ...(evidence.reference ?? [])].map((p) => p.n);
  const toXY = (points: readonly TimedPoint[]) => points.map((p) => ({ x: p.n, y: p.timeS / unit.seconds }));
  const named = (who: string, model: string | undefined) => (model ? `${who} — grows like ${model}` : who);
  const datasets: ChartConfiguration<'scatter'>['data']['datasets'] = [
    {
      label: named('your code', evidence.learnerFit?.model),
      data: toXY(evidence.learner),
      showLine: true,
      borderColor: palette.bad,
      backgroundColor: palette.bad,
      pointStyle: 'circle',
      pointRadius: 4,
      borderWidth: 2,
    },
  ];
  if (evidence.reference) {
    datasets.push({
      label: named('reference', evidence.referenceFit?.model),
      data: toXY(evidence.reference),
      showLine: true,
      borderColor: palette.ok,
      backgroundColor: palette.ok,
      pointStyle: 'rect',
      pointRadius: 4,
      borderWidth: 2,
      borderDash: [6, 4],
    });
  }
  const axis = (text: string, from: number, to: number) => ({
    type: 'logarithmic' as const,
    title: { display: true, text, color: palette.fg },
    ticks: { color: palette.muted, maxRotation: 0, callback: logTickLabel(from, to) },
    grid: { color: palette.border },
  });
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      color: palette.fg,
      font: { family: palette.font },
      scales: {
        x: axis('input size n', Math.min(...sizes), Math.max(...sizes)),
        y: axis(`time per call (${unit.label})`, low / unit.seconds, high / unit.seconds),
      },
      plugins: {
        legend: { labels: { color: palette.fg, usePointStyle: true } },
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label ?? ''}: n = ${formatCount(item.parsed.x ?? 0)}, ${formatSeconds((item.parsed.y ?? 0) * unit.seconds)}`,
          },
        },
      },
    },
  };
  return config as ChartConfiguration;
}

function GrowthTable({ learner, reference }: { learner: TimedPoint[]; reference: TimedPoint[] | null }) {
  const sizes = [...new Set([...learner, ...(reference ?? [])].map((p) => p.n))].sort((a, b) => a - b);
  const timeAt = (points: TimedPoint[] | null, n: number) => points?.find((p) => p.n === n)?.timeS;
  return (
    <div className="pv-scroll" tabIndex={0} role="region" aria-label="Growth measurements">
      <table className="pv-table">
        <thead>
          <tr>
            <th scope="col" className="pv-num">
              n
            </th>
            <th scope="col" className="pv-num">
              your code
            </th>
            {reference && (
              <th scope="col" className="pv-num">
                reference
              </th>
            )}
            {reference && (
              <th scope="col" className="pv-num">
                ratio
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {sizes.map((n) => {
            const mine = timeAt(learner, n);
            const theirs = timeAt(reference, n);
            return (
              <tr key={n}>
                <th scope="row" className="pv-num">
                  {formatCount(n)}
                </th>
                <td className="pv-num">{mine === undefined ? '—' : formatSeconds(mine)}</td>
                {reference && (
                  <td className="pv-num">{theirs === undefined ? '—' : formatSeconds(theirs)}</td>
                )}
                {reference && (
                  <td className="pv-num">
                    {mine === undefined || theirs === undefined ? '—' : formatRatio(mine / theirs)}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
