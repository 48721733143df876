/**
 * timelineFromVizTracer on real VizTracer 1.1.1 traces (fixtures/make_fixtures.py; learner paths
 * relative, as the harness's timeline mode writes them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../documents.js';
import { eventsFrom } from './fixtures.test-support.js';
import { TIMELINE_MAX_STACK, type Timeline } from './timeline.js';
import { peakConcurrency } from './timeline-overlap.js';
import { timelineFromVizTracer } from './timeline-viztracer.js';

const loadTrace = (name: string): TraceEvent[] =>
  eventsFrom(JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')));

const laneOf = (timeline: Timeline, label: string) => timeline.lanes.findIndex((l) => l.label === label);
const summaryOf = (timeline: Timeline, label: string) => timeline.summary[laneOf(timeline, label)];

/** Spans, lanes and summaries keep the model's invariants. */
function expectWellFormed(timeline: Timeline) {
  for (let lane = 0; lane < timeline.lanes.length; lane += 1) {
    const spans = timeline.spans.filter((s) => s.lane === lane);
    for (let i = 1; i < spans.length; i += 1) {
      const previous = spans[i - 1] as (typeof spans)[number];
      expect((spans[i]?.startUs ?? 0) + 1e-6).toBeGreaterThanOrEqual(previous.startUs + previous.durUs);
    }
    for (const span of spans) expect(span.stack.length).toBeLessThanOrEqual(TIMELINE_MAX_STACK);
  }
  expect(Math.min(...timeline.lanes.map((l) => l.startUs))).toBe(0);
  expect(timeline.durationUs).toBe(Math.max(...timeline.lanes.map((l) => l.endUs)));
}

describe('timelineFromVizTracer', () => {
  it('shows ten sleeps started and joined one at a time waiting one at a time, and all at once when started together', () => {
    const serial = timelineFromVizTracer(loadTrace('viztracer-sleep-serial'), { droppedEvents: 0 });
    const parallel = timelineFromVizTracer(loadTrace('viztracer-sleep-parallel'), { droppedEvents: 0 });
    expectWellFormed(serial);
    expectWellFormed(parallel);
    expect(peakConcurrency(serial, 'waiting-io').lanes).toBe(1);
    expect(peakConcurrency(parallel, 'waiting-io').lanes).toBeGreaterThanOrEqual(8);
    // Each fetch thread sleeps ~0.1 s in time.sleep, labelled by the learner's function.
    for (const timeline of [serial, parallel]) {
      const fetchLanes = timeline.lanes.filter((l) => l.label.startsWith('fetch-'));
      expect(fetchLanes).toHaveLength(10);
      for (const lane of fetchLanes) {
        const index = timeline.lanes.indexOf(lane);
        expect(timeline.summary[index]?.waitingIoUs).toBeGreaterThan(90_000);
        const sleep = timeline.spans.find((s) => s.lane === index && s.state === 'waiting-io');
        expect(sleep?.label).toBe('fetch');
        expect(sleep?.stack.at(-1)).toMatchObject({ name: 'time.sleep', origin: 'builtin' });
        expect(sleep?.stack.find((f) => f.name === 'fetch')).toMatchObject({
          file: 'sleep_serial.py'.replace('serial', timeline === serial ? 'serial' : 'parallel'),
          origin: 'user',
        });
      }
    }
    // The main thread waits in join while each runs.
    expect(summaryOf(serial, 'MainThread')?.waitingLockUs).toBeGreaterThan(900_000);
  });

  it('shows three threads running burn while the main thread waits on them', () => {
    const timeline = timelineFromVizTracer(loadTrace('viztracer-threads-burn'), { droppedEvents: 0 });
    expectWellFormed(timeline);
    expect(timeline.lanes.map((l) => `${l.kind} ${l.label}`)).toEqual([
      'process main process',
      'thread MainThread',
      'thread burner-0',
      'thread burner-1',
      'thread burner-2',
    ]);
    for (const label of ['burner-0', 'burner-1', 'burner-2']) {
      const lane = laneOf(timeline, label);
      const lifetimeUs = (timeline.lanes[lane]?.endUs ?? 0) - (timeline.lanes[lane]?.startUs ?? 0);
      const burn = timeline.spans.filter((s) => s.lane === lane && s.label === 'burn');
      expect(burn.every((s) => s.state === 'running')).toBe(true);
      expect(burn.reduce((sum, s) => sum + s.durUs, 0)).toBeGreaterThan(0.9 * lifetimeUs);
    }
    const main = summaryOf(timeline, 'MainThread');
    expect(main?.waitingLockUs).toBeGreaterThan(10 * (main?.runningUs ?? 0));
  });

  it('gives asyncio tasks lanes of their own, named by the coroutine they run', () => {
    const timeline = timelineFromVizTracer(loadTrace('viztracer-async-mix'), { droppedEvents: 0 });
    expectWellFormed(timeline);
    const tasks = timeline.lanes.filter((l) => l.kind === 'task');
    expect(tasks.map((t) => t.label)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Task-\d+ fetch_panel$/),
        expect.stringMatching(/^Task-\d+ blocking_render$/),
      ]),
    );
    expect(tasks.every((t) => t.tid === null && t.id.includes('/task'))).toBe(true);
    // The blocking call inside a coroutine is a wait of its task; the loop itself waits in select.
    const blocking = timeline.lanes.findIndex((l) => l.label.endsWith('blocking_render'));
    expect(timeline.summary[blocking]?.waitingIoUs).toBeGreaterThan(40_000);
    expect(summaryOf(timeline, 'MainThread')?.waitingIoUs).toBeGreaterThan(20_000);
  });

  it('caps the spans by merging the shortest first, and says so', () => {
    const events = loadTrace('viztracer-async-mix');
    const full = timelineFromVizTracer(events, { droppedEvents: 0 });
    expect(full.truncated).toBe(false);
    expect(full.spans.length).toBeGreaterThan(60);
    const capped = timelineFromVizTracer(events, { droppedEvents: 0, maxSpans: 60 });
    expectWellFormed(capped);
    expect(capped.truncated).toBe(true);
    expect(capped.spans.length).toBeLessThanOrEqual(60);
    expect(capped.notes.join(' ')).toMatch(/merged/);
    // Merging keeps time: each lane's spans still cover the same total.
    for (let lane = 0; lane < full.lanes.length; lane += 1) {
      const total = (t: Timeline) =>
        t.spans.filter((s) => s.lane === lane).reduce((sum, s) => sum + s.durUs, 0);
      expect(total(capped)).toBeCloseTo(total(full), 3);
    }
    // The long blocking sleep survives the merge.
    const blocking = capped.lanes.findIndex((l) => l.label.endsWith('blocking_render'));
    expect(
      capped.spans.some((s) => s.lane === blocking && s.state === 'waiting-io' && s.durUs > 40_000),
    ).toBe(true);
  });

  it("draws the innermost call to the end when a lane's trace ends inside nested calls", () => {
    const events: TraceEvent[] = [
      { ph: 'X', pid: 3, tid: 3, ts: 0, dur: 100_000, name: 'fetch (app.py:4)' },
      { ph: 'X', pid: 3, tid: 3, ts: 10, dur: 99_990, name: 'time.sleep' },
    ];
    const timeline = timelineFromVizTracer(events, { droppedEvents: 0 });
    expect(timeline.spans.map((s) => [s.state, s.label, s.durUs])).toEqual([
      ['running', 'fetch', 10],
      ['waiting-io', 'fetch', 99_990],
    ]);
  });

  it('gives a merged group the state it spent most time in, not the state of its longest span', () => {
    // Every 15 µs: 5 µs running, then three 3 µs sleeps 0.5 µs apart — 9 µs waiting, 6 running.
    const events: TraceEvent[] = [{ ph: 'X', pid: 3, tid: 3, ts: 0, dur: 15_000, name: 'poll (app.py:9)' }];
    for (let i = 0; i < 1000; i += 1)
      for (const offset of [5, 8.5, 12])
        events.push({ ph: 'X', pid: 3, tid: 3, ts: i * 15 + offset, dur: 3, name: 'time.sleep' });
    const timeline = timelineFromVizTracer(events, { droppedEvents: 0, maxSpans: 10 });
    expect(timeline.truncated).toBe(true);
    expect(timeline.spans.length).toBeLessThanOrEqual(10);
    expect(timeline.summary[1]?.waitingIoUs).toBeGreaterThan(0.9 * 15_000);
  });

  it('takes a lane of 200 000 calls (more spans than a function call takes arguments) down to the cap', () => {
    const events: TraceEvent[] = [
      { ph: 'X', pid: 5, tid: 5, ts: 0, dur: 2_000_000, name: 'loop (app.py:1)' },
    ];
    for (let i = 0; i < 200_000; i += 1)
      events.push({ ph: 'X', pid: 5, tid: 5, ts: i * 10 + 2, dur: 5, name: 'time.sleep' });
    const timeline = timelineFromVizTracer(events, { droppedEvents: 0 });
    expect(timeline.spans.length).toBeLessThanOrEqual(20_000);
    const lane = timeline.summary[1];
    expect((lane?.runningUs ?? 0) + (lane?.waitingIoUs ?? 0)).toBeCloseTo(2_000_000, 0);
  });

  it('keeps the innermost TIMELINE_MAX_STACK frames of a deep stack, and notes dropped events', () => {
    const depth = TIMELINE_MAX_STACK + 10;
    const events: TraceEvent[] = Array.from({ length: depth }, (_, i) => ({
      ph: 'X',
      pid: 7,
      tid: 7,
      ts: 1000 + i,
      dur: 1000 - 2 * i,
      name: `level${i} (deep.py:${i + 1})`,
    }));
    const timeline = timelineFromVizTracer(events, { droppedEvents: 12 });
    const innermost = timeline.spans.find((s) => s.label === `level${depth - 1}`);
    expect(innermost?.stack).toHaveLength(TIMELINE_MAX_STACK);
    expect(innermost?.stack.at(-1)?.name).toBe(`level${depth - 1}`);
    expect(innermost?.stack[0]?.name).toBe(`level${depth - TIMELINE_MAX_STACK}`);
    expect(timeline.notes.join(' ')).toMatch(/12 events/);
  });
});
