import { describe, expect, it } from 'vitest';
import { denseTimeline, serialFetchTimeline } from './concurrency-fixtures';
import * as layout from './timeline-layout';

describe('timelineRows', () => {
  it('keeps one process without a heading, its thread before its tasks', () => {
    const rows = layout.timelineRows(serialFetchTimeline());
    expect(rows.every((r) => r.kind === 'lane')).toBe(true);
    expect(rows[0]).toMatchObject({ kind: 'lane', lane: 0, label: 'MainThread' });
    expect(rows).toHaveLength(11);
  });

  it('groups lanes by process under a heading when there are several, process lane first', () => {
    const lane = (pid: number, kind: 'process' | 'thread', label: string) => ({
      id: label,
      kind,
      label,
      pid,
      processLabel: `process ${pid}`,
      tid: null,
      startUs: 0,
      endUs: 1,
    });
    const rows = layout.timelineRows({
      lanes: [
        lane(1, 'thread', 'MainThread'),
        lane(2, 'thread', 'worker'),
        lane(1, 'process', 'p1'),
        lane(2, 'process', 'p2'),
      ],
    });
    expect(rows.map((r) => r.label)).toEqual(['process 1', 'p1', 'MainThread', 'process 2', 'p2', 'worker']);
  });
});

describe('timeTicks', () => {
  it('steps by 1, 2 or 5 × 10^k inside the window', () => {
    expect(layout.timeTicks({ startUs: 0, endUs: 1_000_000 }, 5)).toEqual([
      0, 200_000, 400_000, 600_000, 800_000, 1_000_000,
    ]);
    expect(layout.timeTicks({ startUs: 130, endUs: 480 }, 4)).toEqual([200, 300, 400]);
    expect(layout.timeTicks({ startUs: 5, endUs: 5 }, 4)).toEqual([]);
  });

  it('labels in the unit that suits the window', () => {
    expect(layout.formatTickUs(1_500_000, 3_000_000)).toBe('1.5 s');
    expect(layout.formatTickUs(12_500, 50_000)).toBe('12.5 ms');
    expect(layout.formatTickUs(250, 1000)).toBe('250 µs');
  });
});

describe('drawLane', () => {
  it('draws wide spans one by one at their place', () => {
    const timeline = serialFetchTimeline();
    const byLane = layout.spansByLane(timeline);
    const drawn = layout.drawLane(timeline.spans, byLane[3] ?? [], { startUs: 0, endUs: 1_020_000 }, 1020);
    // Task 3 (lane 3): idle from 10 ms to 210 ms, then waiting on I/O for 100 ms.
    expect(drawn.map((d) => [d.state, Math.round(d.xPx), Math.round(d.widthPx)])).toEqual([
      ['idle', 10, 200],
      ['waiting-io', 210, 100],
    ]);
  });

  it('leaves out spans outside the window and clips the ones across its edges', () => {
    const timeline = serialFetchTimeline();
    const byLane = layout.spansByLane(timeline);
    const drawn = layout.drawLane(timeline.spans, byLane[0] ?? [], { startUs: 5_000, endUs: 15_000 }, 100);
    expect(drawn.map((d) => [d.state, d.xPx, d.widthPx])).toEqual([
      ['running', 0, 50],
      ['idle', 50, 50],
    ]);
  });

  it('merges spans thinner than a pixel, so 20 000 spans draw as at most a rectangle per pixel per lane', () => {
    const timeline = denseTimeline(20_000);
    const byLane = layout.spansByLane(timeline);
    const full = { startUs: 0, endUs: timeline.durationUs };
    const started = performance.now();
    const rects = byLane.flatMap((lane) => layout.drawLane(timeline.spans, lane, full, 800));
    const elapsedMs = performance.now() - started;
    expect(rects.length).toBeLessThanOrEqual(4 * 800);
    expect(rects.reduce((n, r) => n + r.count, 0)).toBe(20_000);
    expect(rects.every((r) => r.widthPx >= 1 - 1e-9 || r.xPx + r.widthPx >= 800 - 1e-9)).toBe(true);
    // Wide margin: a loaded CI machine, but a quadratic slip would take seconds.
    expect(elapsedMs).toBeLessThan(500);
  });

  it('zoomed in, shows the same spans unmerged', () => {
    const timeline = denseTimeline(20_000);
    const byLane = layout.spansByLane(timeline);
    const drawn = layout.drawLane(timeline.spans, byLane[1] ?? [], { startUs: 1000, endUs: 1500 }, 500);
    expect(drawn).toHaveLength(10);
    expect(drawn.every((d) => d.count === 1 && d.widthPx === 50)).toBe(true);
  });
});

describe('zooming', () => {
  it('zooms around a point and stays inside the trace', () => {
    expect(layout.zoomWindow({ startUs: 0, endUs: 1000 }, 0.5, 500, 1000)).toEqual({
      startUs: 250,
      endUs: 750,
    });
    expect(layout.zoomWindow({ startUs: 0, endUs: 1000 }, 0.5, 0, 1000)).toEqual({ startUs: 0, endUs: 500 });
    expect(layout.zoomWindow({ startUs: 400, endUs: 600 }, 100, 500, 1000)).toEqual({
      startUs: 0,
      endUs: 1000,
    });
  });

  it('makes a window of a drag either way', () => {
    expect(layout.windowBetween(700, 300, 1000)).toEqual({ startUs: 300, endUs: 700 });
  });
});

describe('spanForKey', () => {
  const timeline = serialFetchTimeline();
  const byLane = layout.spansByLane(timeline);
  const order = layout.timelineRows(timeline).flatMap((r) => (r.kind === 'lane' ? [r.lane] : []));
  const fetch3 = timeline.spans.findIndex((s) => s.lane === 3 && s.state === 'waiting-io');

  it('moves along a lane and to the span of the next lane running at the same moment', () => {
    const idle3 = layout.spanForKey(timeline, byLane, order, fetch3, 'ArrowLeft') as number;
    expect(timeline.spans[idle3]).toMatchObject({ lane: 3, state: 'idle' });
    expect(layout.spanForKey(timeline, byLane, order, fetch3, 'ArrowRight')).toBeNull();
    const below = layout.spanForKey(timeline, byLane, order, fetch3, 'ArrowDown') as number;
    // Task 4 was still idle while task 3 waited.
    expect(timeline.spans[below]).toMatchObject({ lane: 4, state: 'idle' });
    const above = layout.spanForKey(timeline, byLane, order, fetch3, 'ArrowUp') as number;
    expect(timeline.spans[above]).toMatchObject({ lane: 2, state: 'waiting-io', startUs: 110_000 });
  });
});
