/**
 * py-spy's Chrome trace (`--format chrometrace`) read back into what it sampled: per thread,
 * runs of time during which the sampled stack stayed the same.
 *
 * py-spy writes one B/E pair per frame, nested, merging consecutive samples that share a
 * frame (a frame's `line` is the line executing, so a new line opens a new B/E pair). The two
 * outermost frames of every stack are pseudo-frames with an empty file:
 * `process <pid>:"<command line>"` and `thread (<native tid>)` or `thread (<native tid>): <name>`
 * (the name appears once py-spy has read it). Event `tid` is the pthread id, not the native tid;
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

/** Groups the events by (pid, native tid), in trace order; threads in order of first sample. */
export function readPySpyTrace(events: readonly TraceEvent[]): SampledThreadTrace[] {
  const open = new Map<string, { frames: RawFrame[]; lastUs: number }>();
  const threads = new Map<string, SampledThreadTrace>();
  for (const event of events) {
    if ((event.ph !== 'B' && event.ph !== 'E') || typeof event.ts !== 'number') continue;
    const key = `${String(event.pid)}/${String(event.tid)}`;
    const state = open.get(key) ?? { frames: [], lastUs: event.ts };
    open.set(key, state);
    // The stack held from the previous event to this one is a run (pseudo-frames are the first two).
    const [processFrame, threadFrame, ...frames] = state.frames;
    if (event.ts > state.lastUs && processFrame && threadFrame && frames.length > 0) {
      const proc = PROCESS_FRAME.exec(processFrame.name);
      const thread = THREAD_FRAME.exec(threadFrame.name);
      if (proc && thread) {
        const pid = Number(proc[1]);
        const nativeTid = Number(thread[1]);
        const threadKey = `${pid}/${nativeTid}`;
        const entry = threads.get(threadKey) ?? {
          pid,
          nativeTid,
          name: '',
          command: proc[2] ?? '',
          runs: [],
        };
        threads.set(threadKey, entry);
        if (thread[2]) entry.name = thread[2];
        const last = entry.runs[entry.runs.length - 1];
        if (last && last.endUs === state.lastUs && sameFrames(last.frames, frames)) last.endUs = event.ts;
        else entry.runs.push({ startUs: state.lastUs, endUs: event.ts, frames });
      }
    }
    state.lastUs = event.ts;
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
