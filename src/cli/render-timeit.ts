/** Terminal rendering of a timeit comparison: one row per candidate, the fastest first named. */
import Table from 'cli-table3';
import { formatRatio, formatRatioInterval } from '../core/format.js';
import type { TimeitReport } from '../core/timeit-report.js';
import { colour, formatCount, formatPercent, formatSeconds } from './format.js';

/** Shared by `perflab timeit` and the code-reading questions of `perflab drill`. */
export function renderTimeitTable(comparison: TimeitReport): string {
  const table = new Table({
    head: ['candidate', 'loops', 'min', 'median', 'spread (IQR)', 'vs fastest (95% interval)'].map((h) =>
      colour.bold(h),
    ),
    colAligns: ['left', 'right', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [] },
  });
  for (const candidate of comparison.candidates) {
    const isFastest = candidate.expr === comparison.fastest;
    const { ratio, low, high } = candidate.relativeToFastest;
    table.push([
      isFastest ? colour.green(candidate.expr) : candidate.expr,
      formatCount(candidate.loopsPerSample),
      formatSeconds(candidate.summary.min),
      formatSeconds(candidate.summary.median),
      `±${formatPercent(candidate.summary.relativeIqr / 2)}`,
      isFastest
        ? colour.green('fastest')
        : `${formatRatio(ratio)} slower (${formatRatioInterval(low, high)})`,
    ]);
  }
  return table.toString();
}
