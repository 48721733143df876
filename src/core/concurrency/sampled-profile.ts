/**
 * The sampled profile: what py-spy saw in every thread of every process of a run, as
 * per-process and per-thread tables and call trees. Built by pure functions here from a
 * `SampleCapture` (what the host collected while the program ran, see src/sampler/).
 *
 * Units: `...Ms` milliseconds; sample counts are counts. A thread's sampled time is
 * samples / rateHz. On-CPU time comes from the kernel (/proc, read by the host), never from
 * the program; idle is the thread's observed lifetime minus its CPU time.
 */
import type { CodeOrigin, TraceEvent } from '../documents.js';
import type { CallTreeNode } from '../profile-model.js';

export const SAMPLED_PROFILE_FORMAT = 'perflab.sampled/1';

/** Kernel CPU time of one thread, as the host read it from /proc while the run went on. */
export interface ThreadCpuReading {
  hostPid: number;
  /** Inside the sandbox's PID namespace (NSpid's last field); equal to hostPid without one. */
  innerPid: number;
  hostTid: number;
  innerTid: number;
  /** /proc/…/comm of the thread (at most 15 bytes). */
  comm: string;
  /** utime + stime at the last reading. */
  cpuMs: number;
  /** First and last time the host saw the thread, ms since the sampler started. */
  firstSeenMs: number;
  lastSeenMs: number;
}

/** Everything the host collected while sampling one run. Produced by src/sampler/. */
export interface SampleCapture {
  tool: { name: 'py-spy'; version: string };
  rateHz: number;
  /** py-spy --format chrometrace --idle --threads --subprocesses: every sample of every thread. */
  traceEvents: TraceEvent[];
  /** The same with --gil (only samples holding the GIL); null when not collected. */
  gilTraceEvents: TraceEvent[] | null;
  threadCpu: ThreadCpuReading[];
  /** Host pid → the command line the program saw (for process labels). */
  processes: { hostPid: number; innerPid: number; parentHostPid: number | null; command: string }[];
  /** From the sampler start to its end, ms. */
  durationMs: number;
  /** Sampler warnings in a sentence each ("py-spy could not read process 12: …"). */
  errors: string[];
}

export interface SampledFunction {
  id: number;
  name: string;
  file: string;
  line: number;
  origin: CodeOrigin;
}

export interface SampledThread {
  key: string;
  processKey: string;
  /** Thread id as the program saw it (native id inside the sandbox), when known. */
  tid: number | null;
  name: string;
  samples: number;
  sampledMs: number;
  /** Samples taken while this thread held the GIL; null when GIL data was not collected. */
  gilSamples: number | null;
  /** Kernel figures; null when the host did not see the thread (too short-lived). */
  cpuMs: number | null;
  idleMs: number | null;
  /** Per function: samples with it on top (self) and anywhere on the stack (total). */
  functions: { functionId: number; selfSamples: number; totalSamples: number; gilSamples: number | null }[];
  /** Call tree in ms (samples / rate × 1000), outermost callers as roots. */
  callTree: CallTreeNode[];
}

export interface SampledProcess {
  key: string;
  pid: number;
  parentKey: string | null;
  command: string;
  threadKeys: string[];
  samples: number;
  cpuMs: number | null;
}

export interface SampledProfile {
  format: typeof SAMPLED_PROFILE_FORMAT;
  tool: { name: 'py-spy'; version: string };
  rateHz: number;
  durationMs: number;
  sampleCount: number;
  gilCollected: boolean;
  functions: SampledFunction[];
  processes: SampledProcess[];
  threads: SampledThread[];
  /** The learner's hottest functions over all threads, most self samples first (≤ 5). */
  hot: { threadKey: string; functionId: number; selfSamples: number }[];
  errors: string[];
}
