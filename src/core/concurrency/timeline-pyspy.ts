/**
 * py-spy's samples → Timeline: one lane per thread (under a lane per process), a span per run
 * of consecutive samples with the same stack.
 *
 * State of a sample, in this order:
 * 1. its innermost frame is a known wait (wait-kinds.ts) → waiting-lock / waiting-io;
 * 2. with --gil data: the --gil trace has a sample of this thread within one sampling interval
 *    → running; otherwise idle (off the GIL in no known wait: a blocking C call such as
 *    time.sleep, which py-spy shows only as the Python line calling it, or waiting for the GIL);
 * 3. without --gil data: running, which then means only "not known to wait".
 */
import { readPySpyTrace, type SampledThreadTrace } from './pyspy-trace.js';
import { spanFrames, stripHarness } from './frames.js';
import { processLabels } from './process-labels.js';
import type { SampleCapture } from './sampled-profile.js';
import { finishTimeline } from './timeline-finish.js';
import type { LaneState, Timeline, TimelineLane, TimelineSpan } from './timeline.js';
import { waitKindOf } from './wait-kinds.js';

type Interval = [startUs: number, endUs: number];

/** The times a thread held the GIL, widened by `slackUs` each side and merged; sorted. */
function gilIntervals(trace: SampledThreadTrace | undefined, slackUs: number): Interval[] {
  const merged: Interval[] = [];
  for (const run of trace?.runs ?? []) {
    const last = merged[merged.length - 1];
    const start = run.startUs - slackUs;
    const end = run.endUs + slackUs;
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** [start, end) cut into pieces inside (running) and outside (idle) the GIL intervals. */
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

export function timelineFromPySpy(capture: SampleCapture): Timeline {
  const traces = readPySpyTrace(capture.traceEvents);
  const gilTraces = capture.gilTraceEvents ? readPySpyTrace(capture.gilTraceEvents) : null;
  const gilByThread = new Map((gilTraces ?? []).map((t) => [`${t.pid}/${t.nativeTid}`, t]));
  const intervalUs = 1e6 / capture.rateHz;
  const labels = processLabels(capture, traces);
  const lanes: TimelineLane[] = [];
  const spans: TimelineSpan[] = [];

  for (const [hostPid, info] of [...labels.entries()]) {
    const own = traces.filter((t) => t.pid === hostPid && t.runs.length > 0);
    if (own.length === 0) continue;
    const processLane: TimelineLane = {
      id: `p${info.pid}`,
      kind: 'process',
      label: info.label,
      pid: info.pid,
      processLabel: info.label,
      tid: null,
      startUs: Math.min(...own.map((t) => t.runs[0]?.startUs ?? 0)),
      endUs: Math.max(...own.map((t) => t.runs[t.runs.length - 1]?.endUs ?? 0)),
    };
    lanes.push(processLane);
    for (const trace of own) {
      const reading = capture.threadCpu.find((r) => r.hostPid === hostPid && r.hostTid === trace.nativeTid);
      const tid = reading?.innerTid ?? trace.nativeTid;
      const lane = lanes.length;
      lanes.push({
        id: `p${info.pid}/t${tid}`,
        kind: 'thread',
        label: trace.name || reading?.comm || `thread ${tid}`,
        pid: info.pid,
        processLabel: info.label,
        tid,
        startUs: trace.runs[0]?.startUs ?? 0,
        endUs: trace.runs[trace.runs.length - 1]?.endUs ?? 0,
      });
      const gil = gilTraces
        ? gilIntervals(gilByThread.get(`${trace.pid}/${trace.nativeTid}`), intervalUs)
        : null;
      for (const run of trace.runs) {
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
  if (!gilTraces) notes.push('No GIL data: "running" means only that the thread was not seen waiting.');
  return finishTimeline({ source: 'py-spy', sampleRateHz: capture.rateHz, lanes, spans, notes });
}
