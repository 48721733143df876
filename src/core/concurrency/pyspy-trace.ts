/**
 * py-spy's Chrome trace (`--format chrometrace`) read back into what it sampled: per thread,
 * runs of time during which the sampled stack stayed the same.
 *
 * py-spy writes one B/E pair per frame, nested, merging consecutive samples that share a
 * frame (a frame's `line` is the line executing, so a new line opens a new B/E pair). The two
 * outermost frames of every stack are pseudo-frames with an empty file:
 * `process <pid>:"<command line>"` (a child process's stack starts with its parent's too) and
 * `thread (<native tid>)` or `thread (<native tid>): <name>` (the name appears once py-spy has
 * read it). Event `tid` is the pthread id, not the native tid;
 * `ts` is µs since py-spy started. Each sample lasts one sampling interval, so a run's length
 * is proportional to the samples in it.
 */
import type { TraceEvent } from '../documents.js';
import type { RawFrame } from './frames.js';

export interface StackRun {
  startUs: number;
  endUs: number;
  /** Outermost first, pseudo-frames removed (harness frames still present). */
  frames: RawFrame[];
}

export interface SampledThreadTrace {
  /** As py-spy saw them (host pid and native tid, unless py-spy ran inside the namespace). */
  pid: number;
  nativeTid: number;
  /** The last name py-spy read for the thread; '' when it never read one. */
  name: string;
  /** The command line from the process pseudo-frame. */
  command: string;
  runs: StackRun[];
}

const PROCESS_FRAME = /^process (\d+):"(.*)"$/s;
const THREAD_FRAME = /^thread \((\d+)\)(?:: (.*))?$/s;

function frameOf(event: TraceEvent): RawFrame {
  const args = event.args ?? {};
  const file = typeof args['filename'] === 'string' ? args['filename'] : '';
  const line = typeof args['line'] === 'number' ? args['line'] : 0;
  return { name: event.name ?? '', file, line };
}

/**
 * The pseudo-frames at the bottom of a stack: with --subprocesses a child's stack starts with
 * its ancestors' process frames too (`process <parent>`, `process <child>`, `thread (…)`), so
 * the process is the last process frame before the thread frame.
 */
function splitPseudoFrames(stack: readonly RawFrame[]): {
  pid: number;
  command: string;
  nativeTid: number;
  threadName: string;
  frames: RawFrame[];
} | null {
  const threadAt = stack.findIndex((f) => f.file === '' && THREAD_FRAME.test(f.name));
  const thread = THREAD_FRAME.exec(stack[threadAt]?.name ?? '');
  const proc = PROCESS_FRAME.exec(stack[threadAt - 1]?.name ?? '');
  if (!thread || !proc) return null;
  return {
    pid: Number(proc[1]),
    command: proc[2] ?? '',
    nativeTid: Number(thread[1]),
    threadName: thread[2] ?? '',
    frames: stack.slice(threadAt + 1),
  };
}

/** Groups the events by (pid, native tid), in trace order; threads in order of first sample. */
export function readPySpyTrace(events: readonly TraceEvent[]): SampledThreadTrace[] {
  const open = new Map<string, { frames: RawFrame[]; lastUs: number; lastPh: string }>();
  const threads = new Map<string, SampledThreadTrace>();
  for (const event of events) {
    if ((event.ph !== 'B' && event.ph !== 'E') || typeof event.ts !== 'number') continue;
    const key = `${String(event.pid)}/${String(event.tid)}`;
    const state = open.get(key) ?? { frames: [], lastUs: event.ts, lastPh: '' };
    open.set(key, state);
    // The stack held from the previous event to this one is a run. A complete stack closed at
    // the instant it opened (B then E, same ts) is a run too: a forked sibling's sample closed
    // it (see pyspy-threads.ts, which gives such runs their interval).
    const completeStack = event.ph === 'E' && state.lastPh === 'B';
    const run = event.ts > state.lastUs || completeStack ? splitPseudoFrames(state.frames) : null;
    if (run && run.frames.length > 0) {
      const threadKey = `${run.pid}/${run.nativeTid}`;
      const entry = threads.get(threadKey) ?? {
        pid: run.pid,
        nativeTid: run.nativeTid,
        name: '',
        command: run.command,
        runs: [],
      };
      threads.set(threadKey, entry);
      if (run.threadName) entry.name = run.threadName;
      const last = entry.runs[entry.runs.length - 1];
      if (last && last.endUs === state.lastUs && sameFrames(last.frames, run.frames)) last.endUs = event.ts;
      else entry.runs.push({ startUs: state.lastUs, endUs: event.ts, frames: run.frames });
    }
    state.lastUs = event.ts;
    state.lastPh = event.ph;
    if (event.ph === 'B') state.frames = [...state.frames, frameOf(event)];
    else state.frames = state.frames.slice(0, -1);
  }
  return [...threads.values()];
}

export function sameFrames(a: readonly RawFrame[], b: readonly RawFrame[]): boolean {
  return (
    a.length === b.length &&
    a.every((f, i) => f.name === b[i]?.name && f.file === b[i]?.file && f.line === b[i]?.line)
  );
}

/** Samples in [startUs, endUs) of a thread's sampled time, rounded so that totals add up. */
export function samplesBetween(
  threadStartUs: number,
  startUs: number,
  endUs: number,
  rateHz: number,
): number {
  const at = (us: number) => Math.round(((us - threadStartUs) * rateHz) / 1e6);
  return at(endUs) - at(startUs);
}
