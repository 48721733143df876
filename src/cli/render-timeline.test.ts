/**
 * The terminal's lane chart: each column shows the state its lane spent most of that time in,
 * glyphs fall back to ASCII off a UTF-8 terminal, and the legend and time axis are there.
 */
import { describe, expect, it } from 'vitest';
import { TIMELINE_FORMAT, type Timeline, type TimelineSpan } from '../core/concurrency/timeline.js';
import { chartGlyphs, laneColumns, renderLaneChart } from './render-timeline.js';

const span = (lane: number, startUs: number, durUs: number, state: TimelineSpan['state']): TimelineSpan => ({
  lane,
  startUs,
  durUs,
  state,
  label: 'work',
  stack: [],
});

/** Two threads over 1 s: the main thread waits on the worker, which runs the first half then waits on I/O. */
function twoThreads(): Timeline {
  return {
    format: TIMELINE_FORMAT,
    source: 'viztracer',
    sampleRateHz: null,
    durationUs: 1_000_000,
    lanes: [
      {
        id: 'p1/t1',
        kind: 'thread',
        label: 'MainThread',
        pid: 1,
        processLabel: 'main',
        tid: 1,
        startUs: 0,
        endUs: 1_000_000,
      },
      {
        id: 'p1/t2',
        kind: 'thread',
        label: 'worker',
        pid: 1,
        processLabel: 'main',
        tid: 2,
        startUs: 0,
        endUs: 800_000,
      },
    ],
    spans: [
      span(0, 0, 1_000_000, 'waiting-lock'),
      span(1, 0, 500_000, 'running'),
      span(1, 500_000, 200_000, 'waiting-io'),
    ],
    summary: [
      { lane: 0, runningUs: 0, waitingIoUs: 0, waitingLockUs: 1_000_000, idleUs: 0 },
      { lane: 1, runningUs: 500_000, waitingIoUs: 200_000, waitingLockUs: 0, idleUs: 100_000 },
    ],
    truncated: false,
    notes: [],
  };
}

describe('laneColumns', () => {
  it('gives each column the state with the most time, idle for uncovered life, null after the lane ended', () => {
    const cols = laneColumns(twoThreads(), 1, 10);
    expect(cols).toEqual([
      'running',
      'running',
      'running',
      'running',
      'running',
      'waiting-io',
      'waiting-io',
      'idle',
      null,
      null,
    ]);
    expect(laneColumns(twoThreads(), 0, 10).every((c) => c === 'waiting-lock')).toBe(true);
  });

  it('lets the longer state win a column that holds two', () => {
    const timeline = twoThreads();
    timeline.spans = [span(1, 0, 70_000, 'running'), span(1, 70_000, 30_000, 'waiting-io')];
    expect(laneColumns(timeline, 1, 10)[0]).toBe('running');
    timeline.spans = [span(1, 0, 30_000, 'running'), span(1, 30_000, 70_000, 'waiting-io')];
    expect(laneColumns(timeline, 1, 10)[0]).toBe('waiting-io');
  });
});

describe('renderLaneChart', () => {
  it('draws one row per lane with ASCII glyphs, the time axis and the legend', () => {
    const text = renderLaneChart(twoThreads(), { columns: 10, glyphs: chartGlyphs({ NO_COLOR: '1' }, true) });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/Timeline \(VizTracer, every call\) · 1\.00 s · one column = 100 ms/);
    expect(lines[1]).toBe('MainThread |==========|');
    expect(lines[2]).toBe('worker     |#####~~   |');
    expect(lines[3]).toBe('            0   1.00 s');
    expect(text).toContain('# running');
    expect(text).toContain('~ waiting on I/O');
  });

  it('labels the middle of the time axis when there is room', () => {
    const text = renderLaneChart(twoThreads(), { columns: 40, glyphs: chartGlyphs({}, false) });
    expect(text.split('\n')[3]).toMatch(/^ {12}0 +500 ms +1\.00 s$/);
  });

  it('uses block glyphs on a UTF-8 terminal, ASCII when piped or the locale is not UTF-8', () => {
    expect(chartGlyphs({ LANG: 'en_GB.UTF-8' }, true).state.running).toBe('█');
    expect(chartGlyphs({ LANG: 'en_GB.UTF-8' }, false).state.running).toBe('#');
    expect(chartGlyphs({ LANG: 'C' }, true).state.running).toBe('#');
  });
});
