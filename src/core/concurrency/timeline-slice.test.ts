/** sliceTimeline, callWindow, peakConcurrency and describeConcurrency on real VizTracer traces. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventsFrom } from './fixtures.test-support.js';
import { TIMELINE_FORMAT, type Timeline, type TimelineSpan } from './timeline.js';
import { describeConcurrency, peakConcurrency } from './timeline-overlap.js';
import { callWindow, sliceTimeline } from './timeline-slice.js';
import { timelineFromVizTracer } from './timeline-viztracer.js';

const load = (name: string) =>
  timelineFromVizTracer(
    eventsFrom(JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'))),
    { droppedEvents: 0 },
  );

describe('callWindow and sliceTimeline', () => {
  const serial = load('viztracer-sleep-serial');

  it('finds the first to last span of a function and cuts the timeline to it', () => {
    const window = callWindow(serial, 'fetch');
    if (!window) throw new Error('fetch not found');
    // Ten 0.1 s sleeps one after another: about a second, after the program's own 0.1 s sleep.
    expect(window.endUs - window.startUs).toBeGreaterThan(950_000);
    expect(window.startUs).toBeGreaterThan(90_000);
    const slice = sliceTimeline(serial, window);
    expect(slice.durationUs).toBeCloseTo(window.endUs - window.startUs, 3);
    expect(slice.lanes.map((l) => l.label).filter((l) => l.startsWith('fetch-'))).toHaveLength(10);
    for (const span of slice.spans) {
      expect(span.startUs).toBeGreaterThanOrEqual(0);
      expect(span.startUs + span.durUs).toBeLessThanOrEqual(slice.durationUs + 1e-6);
      expect(slice.lanes[span.lane]).toBeDefined();
    }
    expect(peakConcurrency(slice, 'waiting-io').lanes).toBe(1);
    expect(slice.notes.at(-1)).toMatch(/window/);
  });

  it('leaves out lanes with nothing in the window', () => {
    const window = callWindow(serial, 'fetch') as { startUs: number; endUs: number };
    const early = sliceTimeline(serial, { startUs: window.startUs, endUs: window.startUs + 50_000 });
    expect(early.lanes.filter((l) => l.label.startsWith('fetch-')).map((l) => l.label)).toEqual(['fetch-0']);
    expect(early.summary).toHaveLength(early.lanes.length);
  });

  it('answers null for a function that never ran', () => {
    expect(callWindow(serial, 'no_such_function')).toBeNull();
  });
});

describe('peakConcurrency and describeConcurrency', () => {
  const span = (
    lane: number,
    startUs: number,
    durUs: number,
    state: TimelineSpan['state'],
  ): TimelineSpan => ({
    lane,
    startUs,
    durUs,
    state,
    label: 'x',
    stack: [],
  });
  const timeline = (spans: TimelineSpan[]): Timeline => ({
    format: TIMELINE_FORMAT,
    source: 'viztracer',
    sampleRateHz: null,
    durationUs: 300,
    lanes: [0, 1, 2].map((i) => ({
      id: `p1/t${i}`,
      kind: 'thread' as const,
      label: `t${i}`,
      pid: 1,
      processLabel: 'main process',
      tid: i,
      startUs: 0,
      endUs: 300,
    })),
    spans,
    summary: [],
    truncated: false,
    notes: [],
  });

  it('does not count a span ending as another begins as overlap', () => {
    const chain = timeline([
      span(0, 0, 100, 'waiting-io'),
      span(1, 100, 100, 'waiting-io'),
      span(2, 200, 100, 'waiting-io'),
    ]);
    expect(peakConcurrency(chain, 'waiting-io')).toEqual({ lanes: 1, atUs: 0 });
    const together = timeline([
      span(0, 0, 100, 'waiting-io'),
      span(1, 50, 100, 'waiting-io'),
      span(2, 60, 10, 'waiting-io'),
    ]);
    expect(peakConcurrency(together, 'waiting-io')).toEqual({ lanes: 3, atUs: 60 });
    expect(peakConcurrency(together, 'running')).toEqual({ lanes: 0, atUs: 0 });
  });

  it('says in a sentence how many waited at once, serial against overlapped', () => {
    expect(describeConcurrency(load('viztracer-sleep-serial'))).toMatch(
      /^Of 11 threads, at most 1 was waiting on I\/O or sleeping at once/,
    );
    expect(describeConcurrency(load('viztracer-sleep-parallel'))).toMatch(
      /^Of 11 threads, at most (8|9|10|11) were waiting on I\/O or sleeping at once/,
    );
  });
});
