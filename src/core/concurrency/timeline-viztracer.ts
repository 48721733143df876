/**
 * VizTracer's trace events → Timeline. VizTracer records every call exactly as a complete
 * event (`ph: 'X'`, `ts`/`dur` in µs): Python calls named `func (file:line)`, C calls named by
 * module and qualified name (`time.sleep`, `_thread.lock.acquire`). With `log_async` each
 * asyncio task gets a pseudo thread id (not a native tid: larger than Linux's pid_max, 2^22)
 * and a `thread_name` metadata event `Task-N`; `M` events also name threads and processes.
 *
 * Per lane the nested calls are flattened into non-overlapping spans of the innermost call at
 * each instant; its state is the wait it means (wait-kinds.ts) or running; time between calls
 * is idle (for a task lane: suspended at an await).
 */
import type { TraceEvent } from '../documents.js';
import { spanFrames, stripHarness, type RawFrame } from './frames.js';
import { finishTimeline } from './timeline-finish.js';
import type { LaneState, Timeline, TimelineFrame, TimelineLane, TimelineSpan } from './timeline.js';
import { waitKindOf } from './wait-kinds.js';

/** Linux's largest possible pid/tid: VizTracer's asyncio task ids lie above it. */
const PID_MAX_LIMIT = 4_194_304;
const PYTHON_CALL = /^(.*) \((.*):(\d+)\)$/s;

function frameOf(name: string): RawFrame {
  const python = PYTHON_CALL.exec(name);
  if (python) return { name: python[1] ?? name, file: python[2] ?? '', line: Number(python[3]) };
  return { name, file: '', line: 0 };
}

interface Call {
  startUs: number;
  endUs: number;
  frame: RawFrame;
  /** What a span has while this call is the innermost (its stack is fixed while it is open);
   * null for harness-only stacks, undefined until first needed. */
  view?: { state: LaneState; label: string; stack: TimelineFrame[] } | null;
}

function viewOf(open: readonly Call[]): Call['view'] {
  const innermost = open[open.length - 1] as Call;
  if (innermost.view !== undefined) return innermost.view;
  const frames = stripHarness(open.map((c) => c.frame));
  innermost.view =
    frames.length === 0 ? null : { state: waitKindOf(innermost.frame) ?? 'running', ...spanFrames(frames) };
  return innermost.view;
}

/** The innermost call at each instant of one lane, as spans (equal neighbours merged). */
function flatten(calls: Call[], lane: number): TimelineSpan[] {
  calls.sort((a, b) => a.startUs - b.startUs || b.endUs - a.endUs);
  const spans: TimelineSpan[] = [];
  const open: Call[] = [];
  let cursor = calls[0]?.startUs ?? 0;
  const emitTo = (untilUs: number) => {
    if (untilUs <= cursor) return;
    const view = open.length > 0 ? viewOf(open) : null;
    if (view) {
      const last = spans[spans.length - 1];
      if (
        last &&
        last.startUs + last.durUs === cursor &&
        last.state === view.state &&
        last.label === view.label
      ) {
        last.durUs = untilUs - last.startUs;
      } else spans.push({ lane, startUs: cursor, durUs: untilUs - cursor, ...view });
    }
    cursor = untilUs;
  };
  for (const call of calls) {
    for (let top = open[open.length - 1]; top && top.endUs <= call.startUs; top = open[open.length - 1]) {
      emitTo(top.endUs);
      open.pop();
    }
    emitTo(call.startUs);
    const parent = open[open.length - 1];
    // Rounding in the trace can leave a child a fraction of a µs past its parent.
    if (parent && call.endUs > parent.endUs) call.endUs = parent.endUs;
    open.push(call);
  }
  // Emit before popping: emitTo draws the innermost open call, which must still be on the stack.
  for (let top = open[open.length - 1]; top; top = open[open.length - 1]) {
    emitTo(top.endUs);
    open.pop();
  }
  return spans;
}

export function timelineFromVizTracer(
  events: readonly TraceEvent[],
  options: { droppedEvents: number; maxSpans?: number },
): Timeline {
  const threadNames = new Map<string, string>();
  const processNames = new Map<number, string>();
  const calls = new Map<string, { pid: number; tid: number; calls: Call[] }>();
  const frames = new Map<string, RawFrame>();
  for (const event of events) {
    const pid = Number(event.pid);
    const tid = Number(event.tid);
    const key = `${pid}/${tid}`;
    const argName = typeof event.args?.['name'] === 'string' ? event.args['name'] : null;
    if (event.ph === 'M' && argName !== null) {
      if (event.name === 'thread_name') threadNames.set(key, argName);
      if (event.name === 'process_name') processNames.set(pid, argName);
      continue;
    }
    if (event.ph !== 'X' || typeof event.ts !== 'number' || typeof event.dur !== 'number' || !event.name)
      continue;
    const entry = calls.get(key) ?? { pid, tid, calls: [] };
    calls.set(key, entry);
    // Names repeat (every call of a function): parse each once.
    let frame = frames.get(event.name);
    if (!frame) {
      frame = frameOf(event.name);
      frames.set(event.name, frame);
    }
    entry.calls.push({ startUs: event.ts, endUs: event.ts + event.dur, frame });
  }

  // Each lane's first start and last end, by reduce: a lane can hold more calls than a
  // function call takes arguments (Math.min(...calls) would throw).
  const groups = [...calls.values()]
    .filter((g) => g.calls.length > 0)
    .map((g) => ({
      ...g,
      startUs: g.calls.reduce((min, c) => Math.min(min, c.startUs), Infinity),
      endUs: g.calls.reduce((max, c) => Math.max(max, c.endUs), -Infinity),
    }));
  const firstStart = (pid: number) => Math.min(...groups.filter((g) => g.pid === pid).map((g) => g.startUs));
  const pids = [...new Set(groups.map((g) => g.pid))].sort((a, b) => firstStart(a) - firstStart(b));
  const lanes: TimelineLane[] = [];
  const spans: TimelineSpan[] = [];
  pids.forEach((pid, index) => {
    const own = groups.filter((g) => g.pid === pid);
    const processLabel = index === 0 ? 'main process' : `worker ${index}`;
    lanes.push({
      id: `p${pid}`,
      kind: 'process',
      label: processNames.get(pid) && index > 0 ? `${processLabel} (${processNames.get(pid)})` : processLabel,
      pid,
      processLabel,
      tid: null,
      startUs: Math.min(...own.map((g) => g.startUs)),
      endUs: Math.max(...own.map((g) => g.endUs)),
    });
    // Threads first (the main thread, whose tid is the pid, leading), then tasks.
    const isTask = (g: { tid: number; pid: number }) =>
      g.tid > PID_MAX_LIMIT || /^Task-\d+$/.test(threadNames.get(`${g.pid}/${g.tid}`) ?? '');
    own.sort(
      (a, b) =>
        Number(isTask(a)) - Number(isTask(b)) ||
        Number(b.tid === pid) - Number(a.tid === pid) ||
        a.startUs - b.startUs,
    );
    for (const group of own) {
      const lane = lanes.length;
      const task = isTask(group);
      const laneSpans = flatten(group.calls, lane);
      const name = threadNames.get(`${pid}/${group.tid}`) ?? (task ? 'Task' : `thread ${group.tid}`);
      // A task's name says only its number: add the learner coroutine it runs.
      let coroutine: string | undefined;
      for (const span of task ? laneSpans : []) {
        coroutine = span.stack.find((f) => f.origin === 'user')?.name;
        if (coroutine) break;
      }
      lanes.push({
        id: task ? `p${pid}/task${group.tid}` : `p${pid}/t${group.tid}`,
        kind: task ? 'task' : 'thread',
        label: coroutine ? `${name} ${coroutine}` : name,
        pid,
        processLabel,
        tid: task ? null : group.tid,
        startUs: group.startUs,
        endUs: group.endUs,
      });
      // A loop, not push(...laneSpans): a lane can have more spans than a call takes arguments.
      for (const span of laneSpans) spans.push(span);
    }
  });
  const notes =
    options.droppedEvents > 0
      ? [
          `${options.droppedEvents} events of the trace were left out (over the event cap or a full tracer buffer): parts of the run are missing.`,
        ]
      : [];
  return finishTimeline({
    source: 'viztracer',
    sampleRateHz: null,
    lanes,
    spans,
    notes,
    maxSpans: options.maxSpans,
  });
}
