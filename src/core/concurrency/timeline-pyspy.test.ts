/** timelineFromPySpy on real py-spy 0.4.3 captures with their --gil traces and /proc readings. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureFrom } from './fixtures.test-support.js';
import type { SampleCapture } from './sampled-profile.js';
import type { Timeline } from './timeline.js';
import { peakConcurrency } from './timeline-overlap.js';
import { timelineFromPySpy } from './timeline-pyspy.js';
import { waitKindOf } from './wait-kinds.js';

const loadCapture = (name: string, overrides: Partial<SampleCapture> = {}) =>
  captureFrom(
    JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')),
    overrides,
  );

const lanesLabelled = (timeline: Timeline, prefix: string) =>
  timeline.lanes.flatMap((lane, index) => (lane.label.startsWith(prefix) ? [index] : []));

describe('timelineFromPySpy', () => {
  const timeline = timelineFromPySpy(loadCapture('pyspy-threads-burn'));

  it('has a lane per thread under its process, with times from the earliest sample', () => {
    expect(timeline.source).toBe('py-spy');
    expect(timeline.sampleRateHz).toBe(100);
    expect(timeline.lanes.map((l) => `${l.kind} ${l.label}`).sort()).toEqual([
      'process main process',
      'thread MainThread',
      'thread burner-0',
      'thread burner-1',
      'thread burner-2',
    ]);
    expect(Math.min(...timeline.lanes.map((l) => l.startUs))).toBe(0);
    const main = timeline.lanes.find((l) => l.label === 'MainThread');
    expect(main?.tid).toBe(main?.pid);
  });

  it("shows the main thread waiting on a lock (join) and the workers' burn running only while they hold the GIL", () => {
    const main = timeline.lanes.findIndex((l) => l.label === 'MainThread');
    const mainSummary = timeline.summary[main];
    expect(mainSummary?.waitingLockUs).toBeGreaterThan(5 * (mainSummary?.runningUs ?? 0));
    const joinSpan = timeline.spans.find((s) => s.lane === main && s.state === 'waiting-lock');
    expect(joinSpan?.stack.at(-1)?.name).toMatch(/_wait_for_tstate_lock|Condition.wait/);
    expect(joinSpan?.label).toBe('<module>');
    let runningUs = 0;
    for (const lane of lanesLabelled(timeline, 'burner-')) {
      const spans = timeline.spans.filter((s) => s.lane === lane && s.label === 'burn');
      expect(spans.length).toBeGreaterThan(0);
      const summary = timeline.summary[lane];
      // Three threads share one GIL: each runs for part of its life and waits for the rest.
      expect(summary?.runningUs).toBeGreaterThan(0);
      expect(summary?.idleUs).toBeGreaterThan(0);
      runningUs += summary?.runningUs ?? 0;
    }
    // At most one thread holds the GIL at a time (give or take the sampling interval each side).
    const busiest = Math.max(...lanesLabelled(timeline, 'burner-').map((l) => timeline.lanes[l]?.endUs ?? 0));
    expect(runningUs).toBeLessThan(1.5 * busiest);
  });

  it('never shows two threads of one process running at once when the GIL was sampled', () => {
    // The lesson of threads-for-cpu is read off this figure: one GIL, one runner at a time.
    expect(peakConcurrency(timeline, 'running').lanes).toBe(1);
  });

  it('calls every sample running without --gil data, and says what that means', () => {
    const noGil = timelineFromPySpy(loadCapture('pyspy-threads-burn', { gilTraceEvents: null }));
    for (const lane of lanesLabelled(noGil, 'burner-'))
      expect(noGil.summary[lane]?.idleUs).toBeLessThan(20_000);
    expect(noGil.notes.join(' ')).toMatch(/No GIL data/);
  });

  it('shows ten sleeping threads one at a time when started and joined one by one, together otherwise', () => {
    const serial = timelineFromPySpy(loadCapture('pyspy-sleep-serial'));
    const parallel = timelineFromPySpy(loadCapture('pyspy-sleep-parallel'));
    // py-spy sees no C frame: a thread in time.sleep is off the GIL in no known wait, i.e. idle.
    expect(peakConcurrency(serial, 'idle').lanes).toBe(1);
    expect(peakConcurrency(parallel, 'idle').lanes).toBeGreaterThanOrEqual(8);
  });

  it('caps the spans', () => {
    const full = timelineFromPySpy(loadCapture('pyspy-threads-burn'));
    const capped = timelineFromPySpy(loadCapture('pyspy-threads-burn'), { maxSpans: 12 });
    expect(full.spans.length).toBeGreaterThan(12);
    expect(capped.spans.length).toBeLessThanOrEqual(12);
    expect(capped.truncated).toBe(true);
  });

  it('labels pool workers and the resource tracker by their command line', () => {
    const pool = timelineFromPySpy(loadCapture('pyspy-pool-burn'));
    const processes = pool.lanes.filter((l) => l.kind === 'process').map((l) => l.label);
    expect(processes).toEqual(
      expect.arrayContaining(['main process', 'worker 1', 'worker 2', 'resource tracker']),
    );
    const burning = pool.spans.filter((s) => s.label === 'burn').map((s) => pool.lanes[s.lane]?.processLabel);
    expect(new Set(burning)).toEqual(new Set(['worker 1', 'worker 2']));
  });
});

describe('waitKindOf', () => {
  it.each([
    [{ name: 'Thread._wait_for_tstate_lock', file: '/x/lib/python3.11/threading.py' }, 'waiting-lock'],
    [{ name: '_wait_for_tstate_lock', file: '/x/lib/python3.10/threading.py' }, 'waiting-lock'],
    [{ name: 'Future.result', file: '/x/lib/python3.12/concurrent/futures/_base.py' }, 'waiting-lock'],
    [{ name: 'EpollSelector.select', file: '/x/lib/python3.11/selectors.py' }, 'waiting-io'],
    [{ name: 'time.sleep', file: '' }, 'waiting-io'],
    [{ name: 'socket.recv', file: '' }, 'waiting-io'],
    [{ name: '_thread.lock.acquire', file: '' }, 'waiting-lock'],
    [{ name: 'posix.waitpid', file: '' }, 'waiting-lock'],
    [{ name: 'burn', file: 'threading.py' }, null],
    [{ name: 'Condition.wait', file: 'my_threading.py' }, null],
    [{ name: 'str.join', file: '' }, null],
  ])('%o → %s', (frame, kind) => {
    expect(waitKindOf(frame)).toBe(kind);
  });
});
