/**
 * py-spy's samples → Timeline: one lane per thread (under a lane per process), a span per run
 * of consecutive samples with the same stack.
 *
 * State of a sample, in this order:
 * 1. its innermost frame is a known wait (wait-kinds.ts) → waiting-lock / waiting-io;
 * 2. with --gil data: the thread held the GIL then, give or take one sampling interval
 *    (pyspy-threads.ts) → running; otherwise idle (off the GIL in no known wait: a blocking C call such as
 *    time.sleep, which py-spy shows only as the Python line calling it, or waiting for the GIL);
 * 3. without --gil data: running, which then means only "not known to wait".
 */
import { spanFrames, stripHarness } from './frames.js';
import { pySpyThreads } from './pyspy-threads.js';
import type { StackRun } from './pyspy-trace.js';
import type { SampleCapture } from './sampled-profile.js';
import { finishTimeline } from './timeline-finish.js';
import type { LaneState, Timeline, TimelineLane, TimelineSpan } from './timeline.js';
import { waitKindOf } from './wait-kinds.js';

type Interval = [startUs: number, endUs: number];

const GIL_SLACK_US = 0;

/**
 * GIL-holding runs, widened by `slackUs` each side and merged; sorted. The slack is 0 for the
 * timeline: pyspy-threads.ts gives each process's GIL to one thread at a time, so unwidened
 * runs of two threads of one process never overlap — "at most 1 running at once" in a
 * GIL-bound process is exactly what a learner must be able to read off the timeline.
 */
function gilIntervals(runs: readonly StackRun[], slackUs: number): Interval[] {
  const merged: Interval[] = [];
  for (const run of [...runs].sort((a, b) => a.startUs - b.startUs)) {
    const last = merged[merged.length - 1];
    const start = run.startUs - slackUs;
    const end = run.endUs + slackUs;
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** [start, end) cut into pieces inside (held) and outside the GIL intervals. */
function splitByGil(
  start: number,
  end: number,
  gil: readonly Interval[],
): { startUs: number; endUs: number; held: boolean }[] {
  const pieces: { startUs: number; endUs: number; held: boolean }[] = [];
  let cursor = start;
  for (const [gs, ge] of gil) {
    if (ge <= cursor) continue;
    if (gs >= end) break;
    if (gs > cursor) pieces.push({ startUs: cursor, endUs: gs, held: false });
    const stop = Math.min(ge, end);
    pieces.push({ startUs: Math.max(gs, cursor), endUs: stop, held: true });
    cursor = stop;
  }
  if (cursor < end) pieces.push({ startUs: cursor, endUs: end, held: false });
  return pieces;
}

export function timelineFromPySpy(capture: SampleCapture, options: { maxSpans?: number } = {}): Timeline {
  const { threads, processes } = pySpyThreads(capture);
  const lanes: TimelineLane[] = [];
  const spans: TimelineSpan[] = [];

  for (const [hostPid, info] of processes) {
    const own = threads.filter((t) => t.hostPid === hostPid);
    if (own.length === 0) continue;
    lanes.push({
      id: `p${info.pid}`,
      kind: 'process',
      label: info.label,
      pid: info.pid,
      processLabel: info.label,
      tid: null,
      startUs: Math.min(...own.map((t) => t.runs[0]?.startUs ?? 0)),
      endUs: Math.max(...own.map((t) => t.runs[t.runs.length - 1]?.endUs ?? 0)),
    });
    for (const thread of own) {
      const lane = lanes.length;
      lanes.push({
        id: `p${info.pid}/t${thread.tid}`,
        kind: 'thread',
        label: thread.name,
        pid: info.pid,
        processLabel: info.label,
        tid: thread.tid,
        startUs: thread.runs[0]?.startUs ?? 0,
        endUs: thread.runs[thread.runs.length - 1]?.endUs ?? 0,
      });
      const gil = thread.gilRuns ? gilIntervals(thread.gilRuns, GIL_SLACK_US) : null;
      for (const run of thread.runs) {
        const frames = stripHarness(run.frames);
        if (frames.length === 0) continue;
        const { stack, label } = spanFrames(frames);
        const innermost = frames[frames.length - 1];
        const wait = innermost ? waitKindOf(innermost) : null;
        const span = (startUs: number, endUs: number, state: LaneState) =>
          spans.push({ lane, startUs, durUs: endUs - startUs, state, label, stack });
        if (wait || !gil) span(run.startUs, run.endUs, wait ?? 'running');
        else
          for (const piece of splitByGil(run.startUs, run.endUs, gil))
            span(piece.startUs, piece.endUs, piece.held ? 'running' : 'idle');
      }
    }
  }
  const notes = [...capture.errors];
  if (!capture.gilTraceEvents)
    notes.push('No GIL data: "running" means only that the thread was not seen waiting.');
  return finishTimeline({ source: 'py-spy', sampleRateHz: capture.rateHz, lanes, spans, notes, ...options });
}
