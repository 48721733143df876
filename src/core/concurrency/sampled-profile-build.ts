/**
 * SampleCapture (py-spy's traces + the host's /proc readings) → SampledProfile.
 *
 * - Samples: py-spy merges consecutive equal samples into one interval, so a thread's samples
 *   in an interval are durationUs × rateHz / 1e6, rounded on the running total (so the parts
 *   add up to the whole).
 * - Function identity: name + file, shared by every thread and process. py-spy reports the
 *   line executing, not the line the function starts on, so a function's `line` is the first
 *   line seen for it (a location to open, not a definition site).
 * - Harness frames (perflab_harness, runpy) are stripped from the outermost end of every stack;
 *   samples of harness code only (its start-up) are dropped.
 * - Threads are cut to their lifetime and their GIL-holding time worked out as pyspy-threads.ts
 *   explains; per function, `gilSamples` counts the GIL-holding samples with it on top.
 * - Kernel CPU: the host's /proc reading of the thread; idle = observed lifetime − CPU time.
 */
import type { CallTreeNode } from '../profile-model.js';
import { displayFile, originOf, stripHarness, type RawFrame } from './frames.js';
import { samplesBetween, type StackRun } from './pyspy-trace.js';
import { pySpyThreads } from './pyspy-threads.js';
import {
  SAMPLED_PROFILE_FORMAT,
  type SampleCapture,
  type SampledFunction,
  type SampledProcess,
  type SampledProfile,
  type SampledThread,
} from './sampled-profile.js';

const HOT_LIMIT = 5;

/** Function ids shared across threads: name + file; the first line seen is kept. */
export class FunctionTable {
  readonly functions: SampledFunction[] = [];
  private readonly ids = new Map<string, number>();

  idOf(frame: RawFrame): number {
    const key = `${frame.name}\u0000${frame.file}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.functions.length;
    this.ids.set(key, id);
    this.functions.push({
      id,
      name: frame.name,
      file: displayFile(frame.file),
      line: frame.line,
      origin: originOf(frame.file),
    });
    return id;
  }
}

/** A thread's sampled stacks as function ids (outermost first) with their sample counts. */
export interface WeightedStack {
  ids: number[];
  samples: number;
}

export function threadStacks(
  runs: readonly StackRun[],
  rateHz: number,
  table: FunctionTable,
): WeightedStack[] {
  const firstUs = runs[0]?.startUs ?? 0;
  const stacks: WeightedStack[] = [];
  for (const run of runs) {
    const frames = stripHarness(run.frames);
    const samples = samplesBetween(firstUs, run.startUs, run.endUs, rateHz);
    if (frames.length === 0 || samples <= 0) continue;
    stacks.push({ ids: frames.map((f) => table.idOf(f)), samples });
  }
  return stacks;
}

interface MutableNode extends CallTreeNode {
  children: MutableNode[];
  byId?: Map<number, MutableNode>;
}

/** Stacks → call tree in ms (samples ÷ rate × 1000), children largest first. */
export function callTreeOf(stacks: readonly WeightedStack[], msPerSample: number): CallTreeNode[] {
  const root: MutableNode = { functionId: -1, totalMs: 0, selfMs: 0, children: [] };
  for (const stack of stacks) {
    const ms = stack.samples * msPerSample;
    let node = root;
    for (const id of stack.ids) {
      node.byId ??= new Map();
      let child = node.byId.get(id);
      if (!child) {
        child = { functionId: id, totalMs: 0, selfMs: 0, children: [] };
        node.byId.set(id, child);
        node.children.push(child);
      }
      child.totalMs += ms;
      node = child;
    }
    node.selfMs += ms;
  }
  const finish = (node: MutableNode): CallTreeNode => ({
    functionId: node.functionId,
    totalMs: node.totalMs,
    selfMs: node.selfMs,
    children: node.children.map(finish).sort((a, b) => b.totalMs - a.totalMs),
  });
  return finish(root).children;
}

function functionCounts(stacks: readonly WeightedStack[], gilStacks: readonly WeightedStack[] | null) {
  const counts = new Map<number, { selfSamples: number; totalSamples: number; gilSamples: number | null }>();
  const entry = (id: number) => {
    let found = counts.get(id);
    if (!found) {
      found = { selfSamples: 0, totalSamples: 0, gilSamples: gilStacks ? 0 : null };
      counts.set(id, found);
    }
    return found;
  };
  for (const stack of stacks) {
    for (const id of new Set(stack.ids)) entry(id).totalSamples += stack.samples;
    const top = stack.ids[stack.ids.length - 1];
    if (top !== undefined) entry(top).selfSamples += stack.samples;
  }
  for (const stack of gilStacks ?? []) {
    const top = stack.ids[stack.ids.length - 1];
    if (top === undefined) continue;
    const found = entry(top);
    found.gilSamples = (found.gilSamples ?? 0) + stack.samples;
  }
  return [...counts.entries()]
    .map(([functionId, c]) => ({ functionId, ...c }))
    .sort((a, b) => b.selfSamples - a.selfSamples || b.totalSamples - a.totalSamples);
}

/** The command line of the harness's processes (the learner's program runs inside them). */
const HARNESS_COMMAND = /-m perflab_harness\b/;

export function buildSampledProfile(capture: SampleCapture): SampledProfile {
  const table = new FunctionTable();
  const { threads: sampled, processes: labels } = pySpyThreads(capture);
  const msPerSample = 1000 / capture.rateHz;

  const threads: SampledThread[] = [];
  for (const thread of sampled) {
    const stacks = threadStacks(thread.runs, capture.rateHz, table);
    const samples = stacks.reduce((sum, s) => sum + s.samples, 0);
    if (samples === 0) continue;
    const gilStacks = thread.gilRuns ? threadStacks(thread.gilRuns, capture.rateHz, table) : null;
    const { reading } = thread;
    threads.push({
      key: `p${thread.pid}/t${thread.tid}`,
      processKey: `p${thread.pid}`,
      tid: thread.tid,
      name: thread.name,
      samples,
      sampledMs: samples * msPerSample,
      // Two py-spy instances sample at their own instants: the --gil one can count a sample
      // more than the --idle one over the same stretch. Held never exceeds sampled.
      gilSamples: gilStacks
        ? Math.min(
            samples,
            gilStacks.reduce((sum, s) => sum + s.samples, 0),
          )
        : null,
      cpuMs: reading ? reading.cpuMs : null,
      idleMs: reading ? Math.max(0, reading.lastSeenMs - reading.firstSeenMs - reading.cpuMs) : null,
      functions: functionCounts(stacks, gilStacks),
      callTree: callTreeOf(stacks, msPerSample),
    });
  }

  const processes: SampledProcess[] = [...labels.values()].map((p) => {
    const own = threads.filter((t) => t.processKey === `p${p.pid}`);
    const cpu = own.filter((t) => t.cpuMs !== null);
    return {
      key: `p${p.pid}`,
      pid: p.pid,
      parentKey: p.parentPid === null ? null : `p${p.parentPid}`,
      // The learner's process and its forked workers all read `python -m perflab_harness` in
      // /proc (the harness sets sys.argv, not the process title): name them as the learner knows them.
      command: HARNESS_COMMAND.test(p.command) ? p.label : p.command,
      threadKeys: own.map((t) => t.key),
      samples: own.reduce((sum, t) => sum + t.samples, 0),
      cpuMs: cpu.length > 0 ? cpu.reduce((sum, t) => sum + (t.cpuMs ?? 0), 0) : null,
    };
  });

  const hot = threads
    .flatMap((t) =>
      t.functions.map((f) => ({ threadKey: t.key, functionId: f.functionId, selfSamples: f.selfSamples })),
    )
    .filter((h) => {
      const fn = table.functions[h.functionId];
      return fn !== undefined && fn.origin === 'user' && !fn.name.startsWith('<') && h.selfSamples > 0;
    })
    .sort((a, b) => b.selfSamples - a.selfSamples)
    .slice(0, HOT_LIMIT);

  return {
    format: SAMPLED_PROFILE_FORMAT,
    tool: capture.tool,
    rateHz: capture.rateHz,
    durationMs: capture.durationMs,
    sampleCount: threads.reduce((sum, t) => sum + t.samples, 0),
    gilCollected: capture.gilTraceEvents !== null,
    functions: table.functions,
    processes,
    threads,
    hot,
    errors: capture.errors,
  };
}
