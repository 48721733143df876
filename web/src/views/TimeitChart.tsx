import type { TimeitCandidateReport, TimeitReport } from '../../../src/core/timeit-report.js';
import { formatCount, formatPercent, formatRatio, formatRatioInterval, formatSeconds } from './format';
import { TableHead, num } from './TableHead';
import { gcSentence, spreadConfig, timeitSummary } from './timeit-chart-data';
import { translucent, useChart } from './use-chart';
import './views.css';

export interface TimeitChartProps {
  report: TimeitReport;
  /** Whether garbage collection ran while timing; null or absent when not recorded. */
  gcEnabled?: boolean | null;
}

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
      <SpreadChart report={report} summary={timeitSummary(report)} />
      <TimeitTable report={report} />
      <p className="pv-muted pv-small">{gcSentence(gcEnabled)}</p>
    </figure>
  );
}

export default TimeitChart;

function SpreadChart({ report, summary }: { report: TimeitReport; summary: string }) {
  const { canvasRef, state } = useChart((palette) => spreadConfig(report, palette, translucent), report);
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

function TimeitTable({ report }: { report: TimeitReport }) {
  return (
    <div className="pv-scroll" tabIndex={0} role="region" aria-label="Timing table">
      <table className="pv-table">
        <TableHead
          columns={[
            'candidate',
            num('median'),
            num('min – max'),
            num('IQR', 'Interquartile range as a share of the median'),
            num('vs fastest'),
            num('95% interval'),
            num('samples × loops'),
          ]}
        />
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
