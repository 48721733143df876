/**
 * Runs harness jobs: queues them, runs them in the sandbox, validates the harness's document,
 * and decides one status with one sentence a learner understands.
 */
import {
  harnessResultSchema,
  type HarnessMode,
  type HarnessResultOf,
  type JobDocument,
} from '../core/documents.js';
import type { SampleCapture } from '../core/concurrency/sampled-profile.js';
import { createPySpyObserver } from '../sampler/py-spy-observer.js';
import { diagnoseHang, type HangDiagnosis } from '../core/hang.js';
import type { JobHandle, JobQueue } from '../queue/types.js';
import { resolveLimits, type LimitName, type ResourceLimits } from '../sandbox/limits.js';
import type { JobFile, OutputChunk, Sandbox, SandboxOutcome, StdinSpec } from '../sandbox/types.js';

/**
 * cpu.shares of an exclusive run: 16× a default process. With one CPU hog per core, two busy
 * processes of the run get ~89% of each core instead of 50%; the host (perflab's server) keeps
 * ~11% of a core, so it still answers. Measured: see docs/benchmarks.md (verdicts under a hog).
 */
const EXCLUSIVE_CPU_SHARES = 16 * 1024;

export type JobStatus = 'ok' | 'program-failed' | 'limit' | 'cancelled' | 'setup-error';

export interface JobRequest<M extends HarnessMode> {
  mode: M;
  files: JobFile[];
  entry: string;
  argv?: string[];
  stdin?: StdinSpec;
  limits?: Partial<ResourceLimits>;
  modeOptions?: Pick<JobDocument, 'lines' | 'memory' | 'timeit' | 'repeat' | 'grade' | 'timeline' | 'memray'>;
  env?: Record<string, string>;
  /** Hidden material for grading, passed through a pipe (never written where learner code can read it). */
  hidden?: string;
  /** Run with nothing else beside it (CPU-scaling measurements). */
  exclusive?: boolean;
  /** Sample every thread and process with py-spy from outside the sandbox (src/sampler/). */
  sample?: { rateHz: number; gil: boolean };
  onOutput?: (chunk: OutputChunk) => void;
}

/** A report of any mode (a union, so narrowing on `mode` works). */
export type AnyJobReport = { [M in HarnessMode]: JobReport<M> }[HarnessMode];

export interface JobReport<M extends HarnessMode> {
  mode: M;
  status: JobStatus;
  /** One sentence for a person: what happened. */
  message: string;
  exitCode: number | null;
  signal: string | null;
  limitHit: LimitName | null;
  limits: ResourceLimits;
  queueWaitMs: number;
  outcome: Omit<SandboxOutcome, 'harnessDocument'>;
  document: HarnessResultOf<M> | null;
  /** Why the document is missing or invalid, when it is. */
  documentError: string | null;
  hang: HangDiagnosis | null;
  peakMemoryKb: number;
  /** What the sampler collected when `sample` was asked for (null: not asked, or it failed to start). */
  sample?: SampleCapture | null;
  /** Why sampling failed or is partial, when it did or is. */
  sampleError?: string | null;
}

function describeLimit(limit: LimitName, limits: ResourceLimits, outcome: SandboxOutcome): string {
  switch (limit) {
    case 'timeout':
      return `timeout: the program was still running after ${limits.wallS} s of wall time and was stopped`;
    case 'cpu-limit':
      return `cpu-limit: the program's processes used more than ${limits.cpuS} s of CPU time together`;
    case 'memory-limit':
      return `memory-limit: the program needed more than ${limits.memoryMb} MB of memory`;
    case 'process-limit':
      return `process-limit: the program tried to run more than ${limits.tasks} processes and threads at once (peak seen: ${outcome.peakTasks})`;
    case 'output-limit':
      return `output-limit: the program printed more than ${limits.outputKb} KB; output was truncated and the run stopped`;
  }
}

/** Limits a program can hit before the host notices, recognised from how Python reports them. */
function limitFromException(type: string | undefined, message: string | undefined): LimitName | null {
  if (type === 'MemoryError') return 'memory-limit';
  if (type === 'RuntimeError' && message?.includes("can't start new thread")) return 'process-limit';
  if (type === 'BlockingIOError' && message?.includes('Resource temporarily unavailable'))
    return 'process-limit';
  return null;
}

export class Runner {
  constructor(
    readonly sandbox: Sandbox,
    readonly queue: JobQueue,
    /** Where py-spy is, for `sample` runs (default: the .venv's). */
    readonly samplerOptions: { pySpyPath?: string } = {},
  ) {}

  submit<M extends HarnessMode>(request: JobRequest<M>): JobHandle<JobReport<M>> {
    const limits = resolveLimits(request.limits);
    const job: JobDocument = {
      schema: 'perflab.job/1',
      mode: request.mode,
      entry: request.entry,
      argv: request.argv ?? [],
      rlimits: {
        // Threads count towards RLIMIT_NPROC too; the host enforces the exact figure.
        nproc: limits.tasks,
        fileSizeBytes: limits.fileSizeMb * 1024 * 1024,
        openFiles: 1024,
        // A per-process backstop above the all-processes limit the host enforces.
        cpuSeconds: Math.ceil(limits.cpuS) + 1,
        addressSpaceBytes: null,
      },
      dropPrivileges: null,
      ...request.modeOptions,
    };
    let handle: JobHandle<JobReport<M>> | null = null;
    handle = this.queue.submit(
      async (signal) => {
        // Only a sampled run has an observer and a gate; any other run is exactly as before.
        const observer = request.sample
          ? createPySpyObserver({
              ...request.sample,
              wallLimitMs: limits.wallS * 1000,
              pySpyPath: this.samplerOptions.pySpyPath,
            })
          : undefined;
        const outcome = await this.sandbox
          .run({
            files: request.files,
            job: observer ? { ...job, sampleGate: true } : job,
            observer,
            stdin: request.stdin ?? { mode: 'closed' },
            limits,
            env: request.env,
            hidden: request.hidden,
            // An exclusive run (CPU scaling) has every core perflab gives out; the weight keeps
            // programs perflab did not start (another user's, a CPU hog) from taking them back.
            cpuShares: request.exclusive ? EXCLUSIVE_CPU_SHARES : undefined,
            onOutput: request.onOutput,
            signal,
          })
          // Every sandbox detaches once the run ends; a run rejected before it starts (a bad
          // job file in the warm pool) may not have: detach is idempotent.
          .finally(() => observer?.detach());
        const report = this.report(request.mode, outcome, limits, handle?.timing().queueWaitMs ?? 0);
        if (observer) {
          // The sandbox has detached the observer by now: capture() is settled.
          const captured = await observer.capture().then(
            (capture) => ({ capture, error: null }),
            (error: unknown) => ({
              capture: null,
              error: error instanceof Error ? error.message : String(error),
            }),
          );
          report.sample = captured.capture;
          report.sampleError = outcome.sampleError ?? captured.error;
        }
        return report;
      },
      { exclusive: request.exclusive },
    );
    return handle;
  }

  run<M extends HarnessMode>(request: JobRequest<M>): Promise<JobReport<M>> {
    return this.submit(request).result;
  }

  private report<M extends HarnessMode>(
    mode: M,
    outcome: SandboxOutcome,
    limits: ResourceLimits,
    queueWaitMs: number,
  ): JobReport<M> {
    const { harnessDocument, ...rest } = outcome;
    let document: HarnessResultOf<M> | null = null;
    let documentError = outcome.harnessDocumentError;
    if (harnessDocument !== null) {
      const parsed = harnessResultSchema.safeParse(harnessDocument);
      if (parsed.success && parsed.data.mode === mode) document = parsed.data as HarnessResultOf<M>;
      else
        documentError = `the harness document is invalid: ${parsed.error?.issues[0]?.message ?? `mode ${String((harnessDocument as { mode?: unknown }).mode)}`}`;
    }
    // The harness's supervisor reports a learner process that died of a signal itself.
    const signal = outcome.signal ?? document?.signal ?? null;
    const exitCode = document?.signal ? null : (document?.exitCode ?? outcome.exitCode);
    const limitHit =
      outcome.limitHit ?? limitFromException(document?.exception?.type, document?.exception?.message) ?? null;
    const peakMemoryKb = Math.max(outcome.peakMemoryKb, document?.selfMaxRssKb ?? 0);
    let status: JobStatus;
    let message: string;
    if (outcome.cancelled) {
      status = 'cancelled';
      message = 'cancelled: the run was stopped on request';
    } else if (limitHit) {
      status = 'limit';
      message = describeLimit(limitHit, limits, outcome);
    } else if (document?.setupError) {
      status = 'setup-error';
      message = document.setupError.message;
    } else if (document?.exception) {
      status = 'program-failed';
      const at = document.exception.file
        ? ` (${document.exception.file}:${document.exception.line ?? '?'})`
        : '';
      message = `the program raised ${document.exception.type}: ${document.exception.message}${at}`;
    } else if (exitCode !== 0 || signal) {
      status = 'program-failed';
      message = signal ? `the program was killed by ${signal}` : `the program exited with status ${exitCode}`;
    } else {
      status = 'ok';
      message = document
        ? 'the program finished'
        : 'the program finished, but ended its process before perflab could measure it (os._exit?)';
    }
    const hang = limitHit === 'timeout' ? diagnoseHang(outcome.stacks, outcome.processes) : null;
    return {
      mode,
      status,
      message,
      exitCode,
      signal,
      limitHit,
      limits,
      queueWaitMs,
      outcome: rest,
      document,
      documentError: document ? null : documentError,
      hang,
      peakMemoryKb,
    };
  }
}
