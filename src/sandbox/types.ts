import type { JobDocument, StackDump } from '../core/documents.js';
import type { LimitName, ResourceLimits } from './limits.js';

/** How the program's standard input behaves. */
export type StdinSpec =
  | { mode: 'closed' }
  | { mode: 'text'; text: string }
  /** An open pipe that never delivers data: a read blocks, as at a terminal nobody types into. */
  | { mode: 'terminal' };

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  /** Milliseconds since the program started. */
  tMs: number;
  text: string;
}

/** One file of a job: path relative to the work dir (forward slashes, no `..`). */
export interface JobFile {
  path: string;
  content: Uint8Array | string;
}

export interface SandboxRunSpec {
  files: JobFile[];
  job: JobDocument;
  stdin: StdinSpec;
  limits: ResourceLimits;
  /**
   * Material the harness reads from a pipe (fd `PERFLAB_HIDDEN_FD`) and never from disk:
   * hidden tests and reference solutions for grading.
   */
  hidden?: string;
  /** Extra environment for the harness (only `PERFLAB_*` names are passed). */
  env?: Record<string, string>;
  /**
   * CPU weight of the run's processes (cgroup v1 cpu.shares; default 1024, like every other
   * process), where the cpu controller is writable. For exclusive runs that measure scaling.
   */
  cpuShares?: number;
  onOutput?: (chunk: OutputChunk) => void;
  /**
   * Watches the program from outside the sandbox (a sampling profiler). Requires
   * `job.sampleGate`: the learner process stops itself before running learner code; the run
   * calls `attach` with that process's host pid, then continues it (SIGCONT) — also when
   * attach fails or times out. `detach` is called once the run's processes are gone.
   */
  observer?: RunObserver;
  /** Aborting kills the run; the outcome then has `cancelled: true`. */
  signal?: AbortSignal;
}

export interface RunObserver {
  /** Resolves when observing has begun; the learner process stays stopped until then. */
  attach(learnerHostPid: number): Promise<void>;
  /** The run has ended (or failed to start): stop observing and release everything. */
  detach(): Promise<void>;
}

/** A process seen in the run at the moment it was stopped (for hang diagnosis). */
export interface ProcessSnapshot {
  pid: number;
  /** The pid as the program sees it (inside the sandbox's PID namespace). */
  innerPid: number;
  ppid: number;
  command: string;
  /** Kernel state letter: R running, S sleeping, D disk wait, Z zombie, T stopped. */
  state: string;
  /** What it is blocked in, when known: e.g. `read(fd 0: stdin)`, `wait4`, `futex`. */
  blockedIn: string | null;
  threads: number;
}

export interface SandboxOutcome {
  backend: string;
  /** The host folder the run was staged in; removed before the outcome is returned. */
  stagingDir: string;
  isolated: boolean;
  /** Exit code of the program, or null when it ended by a signal. */
  exitCode: number | null;
  signal: string | null;
  /** The first limit the run hit, by name; null when it ended on its own. */
  limitHit: LimitName | null;
  cancelled: boolean;
  /** From process start to exit, excluding queue wait. */
  wallMs: number;
  /** CPU time of all processes of the run together (user + system). */
  cpuMs: number;
  /** Highest memory in use by the run's processes together, as sampled. */
  peakMemoryKb: number;
  /** Highest number of processes + threads seen at once. */
  peakTasks: number;
  cpusAvailable: number;
  output: OutputChunk[];
  outputBytes: number;
  outputTruncated: boolean;
  /** The harness's JSON document, not yet validated; null when none arrived. */
  harnessDocument: unknown;
  harnessDocumentError: string | null;
  /** Python stacks of every process, captured before a timeout kill. */
  stacks: StackDump[];
  processes: ProcessSnapshot[];
  /** What the stack-dump channel accepted from the run (capped; see diag-server.ts). */
  diag: { connections: number; refusedConnections: number; bytesReceived: number; peakBufferedBytes: number };
  /** With job.sampleGate: why the observer did not attach (null when it did). */
  sampleError?: string | null;
}

/** One way of running harness jobs in isolation. Every backend passes src/sandbox/contract.test.ts. */
export interface Sandbox {
  readonly name: string;
  readonly isolated: boolean;
  run(spec: SandboxRunSpec): Promise<SandboxOutcome>;
  /** Releases what the sandbox keeps between runs (a warm pool's idle sandboxes). */
  close?(): Promise<void>;
}
