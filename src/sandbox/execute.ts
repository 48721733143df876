/**
 * One run in a launched sandbox, from "go" to its outcome. The run is a small object over
 * parts with one job each: OutputCollector (stdout/stderr, capped), HarnessDocumentReader (the
 * result document), LimitSampler (CPU, memory and process limits), StackCollector (the
 * stacks-before-kill diagnosis of a timeout) and cleanup.ts (killing and removing everything).
 * Its lifecycle: prepare (fill the staging folder, apply limits) → start (stdin, "go") → watch
 * (limits, wall clock, cancel) → outcome (kill what is left, read the document, clean up).
 */
import { availableParallelism } from 'node:os';
import { readlink } from 'node:fs/promises';
import { killRun, trackCleanup } from './cleanup.js';
import { launchSandbox, type ChildExit, type ExecuteOptions, type LaunchedSandbox } from './launch.js';
import { LimitSampler, type LimitListener } from './limit-sampler.js';
import type { LimitName } from './limits.js';
import { HarnessDocumentReader, OutputCollector, type ParsedDocument } from './run-output.js';
import { passSampleGate } from './sample-gate.js';
import { StackCollector } from './stack-collector.js';
import { checkJobFiles, fillStaging, removeStaging } from './staging.js';
import type { SandboxOutcome, SandboxRunSpec } from './types.js';

export async function executeRun(spec: SandboxRunSpec, options: ExecuteOptions): Promise<SandboxOutcome> {
  let launched: LaunchedSandbox;
  try {
    // A job that cannot be staged fails before anything is started for it.
    checkJobFiles(spec.files);
    launched = await launchSandbox(options, spec.limits.scratchMb, spec.env ?? {});
  } catch (error) {
    await spec.observer?.detach().catch(() => undefined);
    throw error;
  }
  return dispatchRun(launched, spec);
}

/** Gives a launched sandbox its job, watches it to the end, and cleans everything up. */
export async function dispatchRun(launched: LaunchedSandbox, spec: SandboxRunSpec): Promise<SandboxOutcome> {
  try {
    await prepare(launched, spec);
    const run = await SandboxRun.start(launched, spec);
    return await run.outcome();
  } finally {
    // Exactly once per run, by every path, after the run's processes are gone.
    await spec.observer?.detach().catch(() => undefined);
  }
}

/** Writes the job into the staging folder and applies the cgroup limits, before "go". */
async function prepare(launched: LaunchedSandbox, spec: SandboxRunSpec): Promise<void> {
  const { limits } = spec;
  const { cgroup } = launched;
  const job = { ...spec.job, dropPrivileges: launched.options.dropPrivileges };
  try {
    fillStaging(launched.staged, spec.files, JSON.stringify(job));
    if (cgroup) {
      await cgroup.applyLimits({ memoryBytes: limits.memoryMb * 1024 * 1024, tasks: limits.tasks });
      if (spec.cpuShares) await cgroup.weightCpu(spec.cpuShares);
    }
  } catch (error) {
    // Whatever went wrong before "go", the started sandbox (bwrap, the waiting harness, its
    // cgroup, its folder) is of no use to anyone: it goes, and the caller learns why.
    await launched.discard();
    throw error;
  }
}

class SandboxRun implements LimitListener {
  /** The first limit the run hit; later ones do not replace it. */
  private limit: LimitName | null = null;
  private cancelled = false;
  private readonly rootPid: number | undefined;
  private readonly output: OutputCollector;
  private readonly document = new HarnessDocumentReader();
  private readonly sampler: LimitSampler;
  private readonly stacks: StackCollector;
  private readonly wallTimer: NodeJS.Timeout;
  private readonly onAbort = () => this.stop('cancel');
  /** The sample gate (job.sampleGate), once passed: why sampling failed, or null. */
  private gate: Promise<string | null> = Promise.resolve(null);

  private constructor(
    private readonly launched: LaunchedSandbox,
    private readonly spec: SandboxRunSpec,
    stdinPipeTarget: string | null,
    /** performance.now() when the job was handed over: wall time and output times count from here. */
    private readonly startedAtMs: number,
  ) {
    const { limits } = spec;
    const { child, cgroup, diag, plan } = launched;
    this.rootPid = child.pid;
    this.output = new OutputCollector(
      limits.outputKb * 1024,
      startedAtMs,
      () => this.stop('output-limit'),
      spec.onOutput,
    );
    this.sampler = new LimitSampler(this.rootPid, cgroup, limits, this);
    this.stacks = new StackCollector(
      this.rootPid,
      plan.infrastructureCommands,
      diag,
      stdinPipeTarget,
      () => launched.hasExited,
    );
    this.wallTimer = setTimeout(() => this.onWallLimit(), limits.wallS * 1000);
  }

  /** Hands the waiting harness its job and starts watching the run. */
  static async start(launched: LaunchedSandbox, spec: SandboxRunSpec): Promise<SandboxRun> {
    const { child } = launched;
    const stdinPipeTarget = child.pid ? await readlink(`/proc/${child.pid}/fd/0`).catch(() => null) : null;
    const run = new SandboxRun(launched, spec, stdinPipeTarget, performance.now());
    if (spec.stdin.mode === 'closed') child.stdin.end();
    else if (spec.stdin.mode === 'text') child.stdin.end(spec.stdin.text);
    // 'terminal': the pipe stays open and silent until the run ends.

    // What arrived before dispatch counts as the run's, in order, before anything newer.
    const { early, resultPipe, hiddenPipe } = launched;
    for (const stream of [child.stdout, child.stderr, resultPipe]) stream.removeAllListeners('data');
    const onStdout = run.output.listener('stdout');
    const onStderr = run.output.listener('stderr');
    early.stdout.forEach(onStdout);
    early.stderr.forEach(onStderr);
    early.result.forEach(run.document.take);
    child.stdout.on('data', onStdout);
    child.stderr.on('data', onStderr);
    resultPipe.on('data', run.document.take);
    // "go" releases the waiting harness; hidden material (grading) follows on the same pipe.
    hiddenPipe.end(`go\n${spec.hidden ?? ''}`);
    if (spec.job.sampleGate && run.rootPid !== undefined) {
      run.gate = passSampleGate(run.rootPid, spec.observer, () => launched.hasExited);
    }

    if (spec.signal?.aborted) run.onAbort();
    spec.signal?.addEventListener('abort', run.onAbort, { once: true });
    run.sampler.start();
    return run;
  }

  exceeded(limit: LimitName): void {
    this.stop(limit);
  }

  limitHit(): boolean {
    return this.limit !== null;
  }

  private stop(reason: LimitName | 'cancel'): void {
    // Once the main process has exited the run is over: outcome() kills whatever is left.
    if (this.launched.hasExited) return;
    if (reason === 'cancel') this.cancelled = true;
    else this.limit ??= reason;
    void this.kill();
  }

  private onWallLimit(): void {
    if (this.launched.hasExited || this.limit !== null || this.cancelled) return;
    this.limit = 'timeout';
    void this.stacks.collect().finally(() => void this.kill());
  }

  private kill(): Promise<void> {
    return killRun(this.rootPid, this.launched.cgroup, this.sampler.seenPids);
  }

  /** Waits for the main process to exit, then kills what is left, cleans up, and builds the outcome. */
  async outcome(): Promise<SandboxOutcome> {
    const exit = await this.launched.exited;
    const wallMs = performance.now() - this.startedAtMs;
    const { launched, spec, sampler } = this;
    const { options, staged, cgroup, diag } = launched;
    clearTimeout(this.wallTimer);
    sampler.stop();
    spec.signal?.removeEventListener('abort', this.onAbort);
    const trace = process.env.PERFLAB_TRACE_PHASES
      ? (phase: string) =>
          process.stderr.write(
            `[perflab] ${phase} +${(performance.now() - this.startedAtMs).toFixed(1)} ms\n`,
          )
      : () => undefined;
    trace('exited');
    // Whatever outlived the main process (daemons, background children) dies with the run.
    await this.kill();
    trace('killed');
    const sampleError = await this.gate;
    const kernelLimit = await sampler.finalReading();
    this.limit ??= kernelLimit;
    // Removing the cgroup waits for the kernel to reap the processes; nobody needs to wait for
    // that before seeing the result, so it finishes in the background (see settleCleanups).
    trackCleanup(
      Promise.all([cgroup?.remove(), diag.close(), Promise.resolve().then(() => removeStaging(staged))]).then(
        () => trace('cleaned up'),
      ),
    );
    const parsed = this.document.parse();
    return {
      backend: options.backendName,
      stagingDir: staged.dir,
      isolated: options.isolated,
      ...exitStatus(exit, options.isolated, parsed),
      limitHit: this.limit,
      cancelled: this.cancelled,
      wallMs,
      cpuMs: sampler.cpuMs,
      peakMemoryKb: sampler.peakMemoryKb,
      peakTasks: sampler.peakTasks,
      cpusAvailable: availableParallelism(),
      output: this.output.chunks,
      outputBytes: this.output.bytes,
      outputTruncated: this.output.truncated,
      harnessDocument: parsed.document,
      harnessDocumentError: parsed.error,
      stacks: this.stacks.stacks,
      processes: this.stacks.processes,
      diag: { ...diag.stats },
      ...(spec.job.sampleGate ? { sampleError } : {}),
    };
  }
}

/**
 * The program's exit code or signal. bwrap reports a child killed by signal N as exit status
 * 128 + N; without a harness document that is what happened (the harness reports the program's
 * own exit status in its document).
 */
function exitStatus(
  exit: ChildExit,
  isolated: boolean,
  parsed: ParsedDocument,
): { exitCode: number | null; signal: string | null } {
  const { code } = exit;
  if (isolated && code !== null && code > 128 && code < 160 && parsed.document === null) {
    return { exitCode: null, signal: signalName(code - 128) };
  }
  return { exitCode: code, signal: exit.signal };
}

const SIGNAL_NAMES: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  6: 'SIGABRT',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  15: 'SIGTERM',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
};

function signalName(number: number): string {
  return SIGNAL_NAMES[number] ?? `signal ${number}`;
}
