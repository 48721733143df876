/**
 * The threads of a py-spy capture, ready for both views (sampled profile, timeline): the --idle
 * trace's stack runs per thread, cut to the thread's lifetime, and the runs during which it held
 * the GIL, joined with the host's /proc reading and its process.
 *
 * Two corrections py-spy's chrometrace needs (it closes a frame only at the next sample of the
 * same thread id, or when it writes the file):
 * - Lifetime: a thread's last stack stays open after the thread has ended, until its pthread
 *   id is reused or sampling stops. Where the host saw the thread in /proc, its runs are cut at
 *   its last sighting: early by up to one /proc poll interval (25 ms), never late, so threads
 *   that ran one after another do not appear to overlap.
 * - GIL: the --gil trace samples only the thread holding the GIL, so each thread's frames stay
 *   open while others hold it. A process's GIL goes to the thread sampled last: each --gil
 *   sample (a B or E event) holds it until the next sample of any thread of the process, at
 *   most until that thread's run ends. A holder whose stack does not change between two of its
 *   samples emits no event, so held time can be understated, never double-counted.
 */
import { processLabels, threadReading, type SampledProcessInfo } from './process-labels.js';
import { readPySpyTrace, sameFrames, type SampledThreadTrace, type StackRun } from './pyspy-trace.js';
import type { SampleCapture, ThreadCpuReading } from './sampled-profile.js';

export interface PySpyThread {
  hostPid: number;
  /** As the program saw them (py-spy names a thread by the id inside the namespace). */
  pid: number;
  tid: number;
  name: string;
  process: SampledProcessInfo;
  reading: ThreadCpuReading | undefined;
  /** From the --idle trace, outermost frame first, cut to the thread's lifetime. */
  runs: StackRun[];
  /** When the thread held the GIL; null without --gil data. */
  gilRuns: StackRun[] | null;
}

function cutAt(runs: readonly StackRun[], endUs: number): StackRun[] {
  return runs.filter((r) => r.startUs < endUs).map((r) => (r.endUs > endUs ? { ...r, endUs } : r));
}

/** Per thread key `pid/nativeTid`: the runs during which that thread held its process's GIL. */
function gilHolders(traces: readonly SampledThreadTrace[]): Map<string, StackRun[]> {
  const held = new Map<string, StackRun[]>();
  for (const pid of new Set(traces.map((t) => t.pid))) {
    const samples = traces
      .filter((t) => t.pid === pid)
      .flatMap((t) => t.runs.map((run) => ({ key: `${t.pid}/${t.nativeTid}`, run })))
      .sort((a, b) => a.run.startUs - b.run.startUs);
    samples.forEach(({ key, run }, i) => {
      let next = i + 1;
      while (next < samples.length && (samples[next]?.run.startUs ?? 0) <= run.startUs) next += 1;
      const endUs = Math.min(run.endUs, samples[next]?.run.startUs ?? run.endUs);
      if (endUs <= run.startUs) return;
      const list = held.get(key) ?? [];
      held.set(key, list);
      list.push({ ...run, endUs });
    });
  }
  return held;
}

/** A collided run is never stretched over more than this many intervals (that is a real gap). */
const MAX_BRIDGE_INTERVALS = 20;

/**
 * Runs shorter than half a sampling interval extended to the thread's next run (see above).
 * In a single process every run lasts whole intervals (py-spy writes only at samples), so only
 * runs cut short by a forked sibling's sample are touched. Adjacent equal stacks merge again.
 */
export function widenCollidedRuns(runs: readonly StackRun[], intervalUs: number): StackRun[] {
  const widened: StackRun[] = [];
  runs.forEach((run, i) => {
    const next = runs[i + 1];
    const reachUs = next
      ? Math.min(next.startUs, run.startUs + MAX_BRIDGE_INTERVALS * intervalUs)
      : run.startUs + intervalUs;
    const endUs = run.endUs - run.startUs < intervalUs / 2 ? Math.max(run.endUs, reachUs) : run.endUs;
    const last = widened[widened.length - 1];
    if (last && last.endUs === run.startUs && sameFrames(last.frames, run.frames)) last.endUs = endUs;
    else widened.push({ ...run, endUs });
  });
  return widened;
}

function widenTraces(traces: SampledThreadTrace[], intervalUs: number): SampledThreadTrace[] {
  return traces.map((t) => ({ ...t, runs: widenCollidedRuns(t.runs, intervalUs) }));
}

export function pySpyThreads(capture: SampleCapture): {
  threads: PySpyThread[];
  processes: Map<number, SampledProcessInfo>;
} {
  const intervalUs = 1e6 / capture.rateHz;
  const traces = widenTraces(readPySpyTrace(capture.traceEvents), intervalUs);
  const gil = capture.gilTraceEvents
    ? gilHolders(widenTraces(readPySpyTrace(capture.gilTraceEvents), intervalUs))
    : null;
  const processes = processLabels(capture, traces);
  const threads: PySpyThread[] = [];
  for (const trace of traces) {
    const reading = threadReading(capture, trace.pid, trace.nativeTid);
    const lifetimeEndUs = reading ? reading.lastSeenMs * 1000 : Infinity;
    const runs = cutAt(trace.runs, lifetimeEndUs);
    if (runs.length === 0) continue;
    const process = processes.get(trace.pid) as SampledProcessInfo;
    const gilRuns = gil ? cutAt(gil.get(`${trace.pid}/${trace.nativeTid}`) ?? [], lifetimeEndUs) : null;
    threads.push({
      hostPid: trace.pid,
      pid: process.pid,
      tid: trace.nativeTid,
      name: trace.name || reading?.comm || `thread ${trace.nativeTid}`,
      process,
      reading,
      runs,
      gilRuns,
    });
  }
  return { threads, processes };
}
