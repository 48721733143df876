/** What the timeit chart shows, as data: its summary sentences and its Chart.js configuration. */
import type { ChartConfiguration } from 'chart.js';
import type { TimeitReport } from '../../../src/core/timeit-report.js';
import { formatRatio, formatRatioInterval, formatSeconds, timeUnitFor } from './format';
import { logTickLabel, type Palette } from './use-chart';

/** Bars span min–max; a log axis once the candidates differ by more than this factor. */
const LOG_AXIS_ABOVE = 30;
const MAX_LABEL = 36;

/** The chart in one sentence: its text alternative for screen readers. */
export function timeitSummary(report: TimeitReport): string {
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

export function gcSentence(gcEnabled: boolean | null | undefined): string {
  if (gcEnabled === true) return 'Garbage collection stayed enabled while timing.';
  if (gcEnabled === false) return 'Garbage collection was disabled while timing, as timeit does by default.';
  return 'Whether garbage collection ran while timing was not recorded.';
}

/** Long expressions are cut to MAX_LABEL characters for the axis (the table shows them whole). */
export const shorten = (expr: string) =>
  expr.length > MAX_LABEL ? `${expr.slice(0, MAX_LABEL - 1)}…` : expr;

/**
 * The spread chart: one horizontal bar per candidate from its fastest to its slowest sample,
 * the median marked, in the unit that suits the fastest. `fill` makes the bars' translucent
 * fill colour (a canvas is needed to read a CSS colour, so the component passes it in).
 */
export function spreadConfig(
  report: TimeitReport,
  palette: Palette,
  fill: (color: string, alpha: number) => string,
): ChartConfiguration {
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
          backgroundColor: fill(palette.accent, 0.3),
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
