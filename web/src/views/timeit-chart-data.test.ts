import type { ChartDataset } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { buildTimeitReport } from '../../../src/core/timeit-report.js';
import { gcSentence, shorten, spreadConfig, timeitSummary } from './timeit-chart-data';
import { timeitReportFixture } from './test-fixtures';
import { logTickLabel, type Palette } from './use-chart';

const palette: Palette = {
  fg: '#111111',
  muted: '#555555',
  border: '#cccccc',
  surface: '#ffffff',
  accent: '#1f5fbf',
  ok: '#1b7a3a',
  bad: '#b3261e',
  warn: '#8a5a00',
  font: 'sans-serif',
  mono: 'monospace',
};
const fill = (color: string, alpha: number) => `${color}/${alpha}`;

/** Two candidates with fixed samples: a 2 ms one and one `slower` times as slow. */
const twoCandidates = (slower: number) =>
  buildTimeitReport([
    { expr: 'fast()', loopsPerSample: 10, samplesS: [2e-3, 2.1e-3, 2.2e-3] },
    { expr: 'slow()', loopsPerSample: 1, samplesS: [2e-3 * slower, 2.1e-3 * slower, 2.2e-3 * slower] },
  ]);

describe('spreadConfig', () => {
  it('draws one min–max bar and one median mark per candidate in the fastest one’s unit', () => {
    const config = spreadConfig(twoCandidates(3), palette, fill);
    const [bars, medians] = config.data.datasets as ChartDataset[];
    expect(config.data.labels).toEqual(['fast()', 'slow()']);
    expect(bars?.data).toEqual([
      [expect.closeTo(2, 9), expect.closeTo(2.2, 9)],
      [expect.closeTo(6, 9), expect.closeTo(6.6, 9)],
    ]);
    expect(medians?.data).toEqual([expect.closeTo(2.1, 9), expect.closeTo(6.3, 9)]);
    expect(bars?.backgroundColor).toBe('#1f5fbf/0.3');
    expect(config.options?.scales?.x).toMatchObject({
      type: 'linear',
      title: { text: 'time per loop (ms)' },
    });
  });

  it('switches to a log axis once the candidates differ by more than 30×', () => {
    expect(spreadConfig(twoCandidates(10), palette, fill).options?.scales?.x?.type).toBe('linear');
    expect(spreadConfig(twoCandidates(40), palette, fill).options?.scales?.x?.type).toBe('logarithmic');
    // The fixture spans 2 ms to 1.3 s.
    expect(spreadConfig(timeitReportFixture, palette, fill).options?.scales?.x?.type).toBe('logarithmic');
  });

  it('cuts long expressions on the axis only', () => {
    const labels = spreadConfig(timeitReportFixture, palette, fill).data.labels as string[];
    expect(labels[3]).toBe('{w: words.count(w) for w in set(wor…');
    expect(labels[3]).toHaveLength(36);
    expect(shorten('x'.repeat(36))).toBe('x'.repeat(36));
  });
});

describe('timeitSummary', () => {
  it('names the fastest candidate and how much longer each other one takes', () => {
    expect(timeitSummary(twoCandidates(3))).toMatch(
      /^fast\(\) is fastest at 2\.1\d* ms per loop \(median\); slow\(\) takes 3(\.0)?× as long \(95% interval .+\)\.$/,
    );
  });

  it('says when nothing was timed', () => {
    expect(timeitSummary({ ...twoCandidates(3), fastest: 'gone()' })).toBe('No timings were recorded.');
  });
});

describe('gcSentence', () => {
  it('tells all three cases apart', () => {
    expect(gcSentence(true)).toMatch(/stayed enabled/);
    expect(gcSentence(false)).toMatch(/was disabled/);
    expect(gcSentence(null)).toMatch(/not recorded/);
  });
});

describe('logTickLabel', () => {
  it('labels 1, 2 and 5 of each decade over a narrow range', () => {
    const label = logTickLabel(1, 100);
    expect([1, 2, 3, 5, 20, 40, 50].map(label)).toEqual(['1', '2', '', '5', '20', '', '50']);
  });

  it('labels only powers of ten over more than three decades', () => {
    const label = logTickLabel(0.01, 1000);
    expect([0.1, 0.2, 10, 50, 1000].map(label)).toEqual(['0.10', '', '10', '', '1,000']);
  });
});
