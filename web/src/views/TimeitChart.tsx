import type { ChartConfiguration } from 'chart.js';
import type { TimeitCandidateReport, TimeitReport } from '../../../src/core/timeit-report.js';
import {
  formatCount,
  formatPercent,
  formatRatio,
  formatRatioInterval,
  formatSeconds,
  timeUnitFor,
} from './format';
import { logTickLabel, translucent, useChart, type Palette } from './use-chart';
import './views.css';

export interface TimeitChartProps {
  report: TimeitReport;
  /** Whether garbage collection ran while timing; null or absent when not recorded. */
  gcEnabled?: boolean | null;
}

/** Bars span min–max; a log axis once the candidates differ by more than this factor. */
const LOG_AXIS_ABOVE = 30;
const MAX_LABEL = 36;

export function TimeitChart({ report, gcEnabled }: TimeitChartProps) {
  const fastest = report.candidates.find((c) => c.expr === report.fastest);
  return (
    <figure className="pv-root pv-timeit" data-testid="timeit-chart">
      <figcaption className="pv-headline">
        {fastest ? (
          <>
            <span className="pv-code pv-strong">{fastest.expr}</span> is fastest at{' '}
            {formatSeconds(fastest.summary.median)} per loop (median of {fastest.summary.count} samples).
          </>
        ) : (
          'No timings were recorded.'
        )}
      </figcaption>
      <SpreadChart report={report} summary={summarise(report)} />
      <TimeitTable report={report} />
      <p className="pv-muted pv-small">{gcSentence(gcEnabled)}</p>
    </figure>
  );
}

export default TimeitChart;

function summarise(report: TimeitReport): string {
  const fastest = report.candidates.find((c) => c.expr === report.fastest);
  if (!fastest) return 'No timings were recorded.';
  const others = report.candidates
    .filter((c) => c !== fastest)
    .map(
      (c) =>
        `${c.expr} takes ${formatRatio(c.relativeToFastest.ratio)} as long ` +
        `(95% interval ${formatRatioInterval(c.relativeToFastest.low, c.relativeToFastest.high)})`,
    );
  return (
    `${fastest.expr} is fastest at ${formatSeconds(fastest.summary.median)} per loop (median)` +
    (others.length > 0 ? `; ${others.join('; ')}.` : '.')
  );
}

function gcSentence(gcEnabled: boolean | null | undefined): string {
  if (gcEnabled === true) return 'Garbage collection stayed enabled while timing.';
  if (gcEnabled === false) return 'Garbage collection was disabled while timing, as timeit does by default.';
  return 'Whether garbage collection ran while timing was not recorded.';
}

const shorten = (expr: string) => (expr.length > MAX_LABEL ? `${expr.slice(0, MAX_LABEL - 1)}…` : expr);

function SpreadChart({ report, summary }: { report: TimeitReport; summary: string }) {
  const { canvasRef, state } = useChart((palette) => spreadConfig(report, palette), report);
  const height = 56 + report.candidates.length * 40;
  return (
    <div className="pv-chart" style={{ height }}>
      <canvas ref={canvasRef} role="img" aria-label={`Chart: ${summary}`}>
        {summary}
      </canvas>
      {state === 'failed' && (
        <p className="pv-muted">The chart could not be loaded; the table has the numbers.</p>
      )}
    </div>
  );
}

function spreadConfig(report: TimeitReport, palette: Palette): ChartConfiguration {
  const fastest = Math.min(...report.candidates.map((c) => c.summary.min));
  const slowest = Math.max(...report.candidates.map((c) => c.summary.max));
  const unit = timeUnitFor(fastest);
  const inUnit = (seconds: number) => seconds / unit.seconds;
  const logAxis = slowest / fastest > LOG_AXIS_ABOVE;
  return {
    type: 'bar',
    data: {
      labels: report.candidates.map((c) => shorten(c.expr)),
      datasets: [
        {
          type: 'bar',
          label: 'min–max',
          data: report.candidates.map((c) => [inUnit(c.summary.min), inUnit(c.summary.max)]),
          backgroundColor: translucent(palette.accent, 0.3),
          borderColor: palette.accent,
          borderWidth: 1,
          borderSkipped: false,
          barPercentage: 0.6,
          pointStyle: 'rect',
        },
        {
          type: 'line',
          label: 'median',
          data: report.candidates.map((c) => inUnit(c.summary.median)),
          showLine: false,
          pointStyle: 'line',
          pointRotation: 90,
          pointRadius: 12,
          pointHoverRadius: 12,
          borderWidth: 3,
          borderColor: palette.fg,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      color: palette.fg,
      font: { family: palette.font },
      scales: {
        x: {
          type: logAxis ? 'logarithmic' : 'linear',
          beginAtZero: !logAxis,
          title: { display: true, text: `time per loop (${unit.label})`, color: palette.fg },
          ticks: logAxis
            ? {
                color: palette.muted,
                maxRotation: 0,
                callback: logTickLabel(fastest / unit.seconds, slowest / unit.seconds),
              }
            : { color: palette.muted, maxRotation: 0 },
          grid: { color: palette.border },
        },
        y: { ticks: { color: palette.fg, font: { family: palette.mono } }, grid: { display: false } },
      },
      plugins: {
        legend: { labels: { color: palette.fg, usePointStyle: true } },
        tooltip: {
          callbacks: {
            label: (item) => {
              const candidate = report.candidates[item.dataIndex];
              if (!candidate) return '';
              const { min, median, max } = candidate.summary;
              return item.datasetIndex === 0
                ? `min ${formatSeconds(min)} – max ${formatSeconds(max)}`
                : `median ${formatSeconds(median)}`;
            },
          },
        },
      },
    },
  };
}

function TimeitTable({ report }: { report: TimeitReport }) {
  return (
    <div className="pv-scroll" tabIndex={0} role="region" aria-label="Timing table">
      <table className="pv-table">
        <thead>
          <tr>
            <th scope="col">candidate</th>
            <th scope="col" className="pv-num">
              median
            </th>
            <th scope="col" className="pv-num">
              min – max
            </th>
            <th scope="col" className="pv-num" title="Interquartile range as a share of the median">
              IQR
            </th>
            <th scope="col" className="pv-num">
              vs fastest
            </th>
            <th scope="col" className="pv-num">
              95% interval
            </th>
            <th scope="col" className="pv-num">
              samples × loops
            </th>
          </tr>
        </thead>
        <tbody>
          {report.candidates.map((c) => (
            <TimeitRow key={c.expr} candidate={c} fastest={c.expr === report.fastest} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TimeitRow({ candidate, fastest }: { candidate: TimeitCandidateReport; fastest: boolean }) {
  const { summary, relativeToFastest: relative } = candidate;
  return (
    <tr className={fastest ? 'pv-row-best' : undefined}>
      <th scope="row" className="pv-code">
        {candidate.expr}
        {fastest && <span className="pv-tag pv-tag-ok">fastest</span>}
      </th>
      <td className="pv-num">{formatSeconds(summary.median)}</td>
      <td className="pv-num">
        {formatSeconds(summary.min)} – {formatSeconds(summary.max)}
      </td>
      <td className="pv-num">{formatPercent(summary.relativeIqr)}</td>
      <td className="pv-num">{fastest ? '1×' : formatRatio(relative.ratio)}</td>
      <td className="pv-num">{fastest ? '—' : formatRatioInterval(relative.low, relative.high)}</td>
      <td className="pv-num">
        {summary.count} × {formatCount(candidate.loopsPerSample)}
      </td>
    </tr>
  );
}
