/**
 * What every backend shares: staging a run's files, starting the harness, streaming and
 * capping output, enforcing limits by sampling the process tree, the stacks-before-kill
 * timeout diagnosis, killing everything, and cleaning up. A backend only says how to
 * launch (`LaunchPlan`).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readlink, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { RunCgroup } from './cgroups.js';
import { DiagServer } from './diag-server.js';
import type { LimitName } from './limits.js';
import { killPids, listTree, snapshotTree, summarise } from './process-tree.js';
import type { JobFile, OutputChunk, ProcessSnapshot, SandboxOutcome, SandboxRunSpec } from './types.js';

/** Host paths of one run's staging folder. */
export interface StagedRun {
  runId: string;
  dir: string;
  inputDir: string;
  jobFile: string;
  ipcDir: string;
  socketPath: string;
}

export interface LaunchPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Commands of the backend's own processes in the tree, which must not get SIGUSR1. */
  infrastructureCommands: string[];
}

export interface ExecuteOptions {
  backendName: string;
  isolated: boolean;
  useCgroups: boolean;
  /** The uid/gid the harness drops to before learner code runs, when the sandbox starts as root. */
  dropPrivileges: { uid: number; gid: number } | null;
  plan: (
    staged: StagedRun,
    launch: { scratchMb: number; env: Record<string, string> },
  ) => Promise<LaunchPlan> | LaunchPlan;
}

const SAMPLE_INTERVAL_MS = 50;
const MAX_RESULT_DOCUMENT_BYTES = 128 * 1024 * 1024;
/** How long Python processes get to send their stacks after SIGUSR1, before the kill. */
const STACK_DUMP_GRACE_MS = 600;

export class JobFileError extends Error {
  override name = 'JobFileError';
}

function checkedRelativePath(path: string): string {
  const normalised = posix.normalize(path);
  if (
    path.length === 0 ||
    path.includes('\0') ||
    posix.isAbsolute(path) ||
    normalised.startsWith('..') ||
    normalised === '.'
  ) {
    throw new JobFileError(
      `job file path ${JSON.stringify(path)} must be relative and stay inside the work dir`,
    );
  }
  return normalised;
}

export async function stageRun(files: JobFile[], jobJson: string): Promise<StagedRun> {
  const staged = createStaging();
  await fillStaging(staged, files, jobJson);
  return staged;
}

/** An empty staging folder: bind-mounted at launch, filled at dispatch (bind mounts show later writes). */
/**
 * The staging folder's skeleton is made with synchronous calls on purpose: they are a few
 * metadata operations that never wait for a disk (no fsync), and cost ~0.25 ms of CPU in all
 * where fs.promises costs ~0.9 ms (thread-pool round trips) — CPU taken from the runs when
 * every core is busy. The same holds for removing the folder after the run.
 */
export function createStaging(): StagedRun {
  const base = join(tmpdir(), `perflab-runs-${process.getuid?.() ?? 'user'}`);
  mkdirSync(base, { recursive: true, mode: 0o700 });
  if (!sweptStagingBase) {
    sweptStagingBase = true;
    sweepOrphanedStaging(base);
  }
  // The owner's pid in the name lets a later process tell an orphan from a live run.
  const dir = mkdtempSync(join(base, `run-${process.pid}-`));
  const runId = randomBytes(6).toString('hex');
  const inputDir = join(dir, 'input');
  const ipcDir = join(dir, 'ipc');
  mkdirSync(inputDir, { mode: 0o755 });
  mkdirSync(ipcDir, { mode: 0o755 });
  // Staged files must be readable by the sandbox's unprivileged uid.
  chmodSync(dir, 0o755);
  chmodSync(inputDir, 0o755);
  chmodSync(ipcDir, 0o755);
  const jobFile = join(dir, 'job.json');
  writeFileSync(jobFile, '', { mode: 0o644 });
  return { runId, dir, inputDir, jobFile, ipcDir, socketPath: join(ipcDir, 'diag.sock') };
}

let sweptStagingBase = false;
/** Folders without an owner pid (older versions) count as orphans after this long. */
const UNOWNED_STAGING_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * Removes staging folders whose process is gone. A process killed mid-run (SIGKILL, a crash,
 * a test runner stopping its workers) cannot clean up after itself; the next one does, once.
 */
export function sweepOrphanedStaging(base: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return 0;
  }
  for (const name of names) {
    const owner = /^run-(\d+)-/.exec(name)?.[1];
    const path = join(base, name);
    try {
      const orphaned =
        owner !== undefined
          ? Number(owner) !== process.pid && !processExists(Number(owner))
          : name.startsWith('run-') && Date.now() - statSync(path).mtimeMs > UNOWNED_STAGING_MAX_AGE_MS;
      if (orphaned) {
        rmSync(path, { recursive: true, force: true });
        removed += 1;
      }
    } catch {
      // Another process is sweeping too, or the folder is not ours to remove: leave it.
    }
  }
  return removed;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeStaging(staged: StagedRun): void {
  rmSync(staged.dir, { recursive: true, force: true });
}

export async function fillStaging(staged: StagedRun, files: JobFile[], jobJson: string): Promise<void> {
  for (const file of files) {
    const target = join(staged.inputDir, checkedRelativePath(file.path));
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, file.content, { mode: 0o644 });
  }
  // Written in place: the file is bind-mounted by inode, so replacing it would not show inside.
  await writeFile(staged.jobFile, jobJson);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A started sandbox whose harness waits (env PERFLAB_WAIT_FOR_GO) for the job: launched
 * ahead of time by the warm pool, or just before dispatch for a cold run.
 */
export interface LaunchedSandbox {
  options: ExecuteOptions;
  staged: StagedRun;
  diag: DiagServer;
  cgroup: RunCgroup | null;
  plan: LaunchPlan;
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Output and result bytes that arrive before dispatch are buffered here. */
  early: { stdout: Buffer[]; stderr: Buffer[]; result: Buffer[] };
  scratchMb: number;
  extraEnv: Record<string, string>;
  /** Kills the sandbox and removes everything of it (an unused pooled sandbox). */
  discard(): Promise<void>;
}

export async function launchSandbox(
  options: ExecuteOptions,
  scratchMb: number,
  extraEnv: Record<string, string> = {},
): Promise<LaunchedSandbox> {
  const staged = createStaging();
  const diag = await DiagServer.listen(staged.socketPath);
  const cgroup = options.useCgroups ? await RunCgroup.create(staged.runId) : null;
  const plan = await options.plan(staged, { scratchMb, env: { ...extraEnv, PERFLAB_WAIT_FOR_GO: '1' } });
  let command = plan.command;
  let args = plan.args;
  if (cgroup) {
    // Join the groups before exec'ing the sandbox so every descendant is accounted for.
    const procsFiles = cgroup.procsFiles();
    const joins = procsFiles.map((_, i) => `echo $$ > "$${i + 1}"`).join(' && ');
    args = [
      '-c',
      `${joins} && shift ${procsFiles.length} && exec "$@"`,
      'sh',
      ...procsFiles,
      command,
      ...args,
    ];
    command = '/bin/sh';
  }
  const child = spawn(command, args, {
    env: plan.env,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
    detached: true,
  }) as unknown as ChildProcessByStdio<Writable, Readable, Readable>;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const early = { stdout: [] as Buffer[], stderr: [] as Buffer[], result: [] as Buffer[] };
  const buffer = (into: Buffer[]) => (chunk: Buffer) => into.push(chunk);
  child.stdout.on('data', buffer(early.stdout));
  child.stderr.on('data', buffer(early.stderr));
  (child.stdio[3] as Readable).on('data', buffer(early.result));
  for (const stream of [child.stdin, child.stdio[3], child.stdio[4]] as (Readable | Writable)[])
    stream.on('error', () => undefined);
  const launched: LaunchedSandbox = {
    options,
    staged,
    diag,
    cgroup,
    plan,
    child,
    exited,
    early,
    scratchMb,
    extraEnv,
    discard: async () => {
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await exited;
      if (cgroup) {
        killPids(await cgroup.pids());
        await cgroup.remove();
      }
      await diag.close();
      removeStaging(staged);
    },
  };
  return launched;
}

const pendingCleanups = new Set<Promise<unknown>>();

function trackCleanup(cleanup: Promise<unknown>): void {
  const tracked = cleanup.catch(() => undefined).finally(() => pendingCleanups.delete(tracked));
  pendingCleanups.add(tracked);
}

/** Longest wait for cleanups at shutdown; each step is bounded, this bounds them all. */
const SETTLE_LIMIT_MS = 15_000;

/**
 * Resolves when every finished run's staging folder, socket and cgroup are gone — or after
 * SETTLE_LIMIT_MS, so that a cleanup stuck in the kernel never keeps perflab from exiting.
 */
export async function settleCleanups(): Promise<void> {
  const deadline = performance.now() + SETTLE_LIMIT_MS;
  while (pendingCleanups.size > 0 && performance.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...pendingCleanups]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, Math.max(1, deadline - performance.now()));
      }),
    ]);
    clearTimeout(timer);
  }
}

export async function executeRun(spec: SandboxRunSpec, options: ExecuteOptions): Promise<SandboxOutcome> {
  const launched = await launchSandbox(options, spec.limits.scratchMb, spec.env ?? {});
  return dispatchRun(launched, spec);
}

/** Gives a launched sandbox its job, watches it to the end, and cleans everything up. */
export async function dispatchRun(launched: LaunchedSandbox, spec: SandboxRunSpec): Promise<SandboxOutcome> {
  const { limits } = spec;
  const { options, staged, diag, cgroup, plan, child, exited } = launched;
  const job = { ...spec.job, dropPrivileges: options.dropPrivileges };
  await fillStaging(staged, spec.files, JSON.stringify(job));
  if (cgroup) {
    await cgroup.applyLimits({ memoryBytes: limits.memoryMb * 1024 * 1024, tasks: limits.tasks });
  }

  const output: OutputChunk[] = [];
  let outputBytes = 0;
  let outputTruncated = false;
  let limitHit: LimitName | null = null;
  let cancelled = false;
  let cpuMs = 0;
  let peakMemoryKb = 0;
  let peakTasks = 0;
  let stacksCollected = false;
  let processes: ProcessSnapshot[] = [];
  const seenPids = new Set<number>();
  const resultChunks: Buffer[] = [];
  let resultBytes = 0;

  const rootPid = child.pid;
  let finished = false;
  void exited.then(() => {
    finished = true;
  });

  const stdinPipeTarget = rootPid ? await readlink(`/proc/${rootPid}/fd/0`).catch(() => null) : null;
  const startedAt = performance.now();
  if (spec.stdin.mode === 'closed') child.stdin.end();
  else if (spec.stdin.mode === 'text') child.stdin.end(spec.stdin.text);
  // 'terminal': the pipe stays open and silent until the run ends.

  const killEverything = async () => {
    // With a PID namespace, killing the sandbox's root kills everything in it; the walk and
    // the group cover the unisolated backend, the cgroup covers anything that escaped both.
    const pids = rootPid && !cgroup ? summarise(await listTree(rootPid)).pids : [];
    if (rootPid) {
      try {
        process.kill(-rootPid, 'SIGKILL');
      } catch {
        // Group already gone.
      }
    }
    killPids([...pids, ...seenPids]);
    if (cgroup) killPids(await cgroup.pids());
  };

  const stop = (reason: LimitName | 'cancel') => {
    if (finished) return;
    if (reason === 'cancel') cancelled = true;
    else if (limitHit === null) limitHit = reason;
    void killEverything();
  };

  const onOutput = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (outputTruncated) return;
    const capBytes = limits.outputKb * 1024;
    let kept = chunk;
    if (outputBytes + chunk.length > capBytes) {
      kept = chunk.subarray(0, capBytes - outputBytes);
      outputTruncated = true;
      stop('output-limit');
    }
    outputBytes += kept.length;
    if (kept.length === 0) return;
    const record = { stream, tMs: performance.now() - startedAt, text: kept.toString('utf8') };
    output.push(record);
    spec.onOutput?.(record);
  };
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  const resultStream = child.stdio[3] as Readable;
  resultStream.removeAllListeners('data');
  const onResult = (chunk: Buffer) => {
    resultBytes += chunk.length;
    if (resultBytes <= MAX_RESULT_DOCUMENT_BYTES) resultChunks.push(chunk);
  };
  launched.early.stdout.forEach(onOutput('stdout'));
  launched.early.stderr.forEach(onOutput('stderr'));
  launched.early.result.forEach(onResult);
  child.stdout.on('data', onOutput('stdout'));
  child.stderr.on('data', onOutput('stderr'));
  resultStream.on('data', onResult);
  // "go" releases the waiting harness; hidden material (grading) follows on the same pipe.
  (child.stdio[4] as Writable).end(`go\n${spec.hidden ?? ''}`);

  const onAbort = () => stop('cancel');
  if (spec.signal?.aborted) onAbort();
  spec.signal?.addEventListener('abort', onAbort, { once: true });

  const collectStacks = async () => {
    if (!rootPid) return;
    const tree = await listTree(rootPid);
    const infrastructure = new Set(
      tree.filter((p) => plan.infrastructureCommands.includes(p.command)).map((p) => p.pid),
    );
    const programPids = tree.filter((p) => !infrastructure.has(p.pid)).map((p) => p.pid);
    const pythonCount = tree.filter((p) => p.command.startsWith('python')).length;
    // Snapshot before signalling: the handler wakes blocked calls, which would hide where they were.
    processes = await snapshotTree(tree, stdinPipeTarget, infrastructure);
    killPids(programPids, 'SIGUSR1');
    const deadline = performance.now() + STACK_DUMP_GRACE_MS;
    while (performance.now() < deadline && diag.dumps.length < pythonCount && !finished) await delay(20);
    stacksCollected = true;
  };

  const wallTimer = setTimeout(() => {
    if (finished || limitHit !== null || cancelled) return;
    limitHit = 'timeout';
    void collectStacks().finally(() => void killEverything());
  }, limits.wallS * 1000);

  // One sample at a time: a big tree (a fork bomb) must not pile up overlapping samples.
  let sampling = false;
  const sample = async () => {
    if (!rootPid) return;
    if (cgroup) {
      // The kernel counts for the whole group, daemons included, without walking /proc.
      const kernel = await cgroup.usage();
      cpuMs = Math.max(cpuMs, kernel.cpuMs);
      peakMemoryKb = Math.max(peakMemoryKb, kernel.peakMemoryKb);
      peakTasks = Math.max(peakTasks, kernel.tasks);
      if (kernel.taskLimitHit) stop('process-limit');
      if (kernel.memoryLimitHit) stop('memory-limit');
    } else {
      const usage = summarise(await listTree(rootPid, { withPss: true }));
      usage.pids.forEach((pid) => seenPids.add(pid));
      cpuMs = Math.max(cpuMs, usage.cpuMs);
      peakMemoryKb = Math.max(peakMemoryKb, usage.rssKb);
      peakTasks = Math.max(peakTasks, usage.tasks);
      if (peakMemoryKb > limits.memoryMb * 1024) stop('memory-limit');
      else if (usage.tasks >= limits.tasks) stop('process-limit');
    }
    if (limitHit === null && cpuMs > limits.cpuS * 1000) stop('cpu-limit');
  };
  const sampler = setInterval(() => {
    if (finished || sampling) return;
    sampling = true;
    void sample().finally(() => {
      sampling = false;
    });
  }, SAMPLE_INTERVAL_MS);

  const exit = await exited;
  const wallMs = performance.now() - startedAt;
  clearTimeout(wallTimer);
  clearInterval(sampler);
  spec.signal?.removeEventListener('abort', onAbort);
  const trace = process.env.PERFLAB_TRACE_PHASES
    ? (phase: string) =>
        process.stderr.write(`[perflab] ${phase} +${(performance.now() - startedAt).toFixed(1)} ms\n`)
    : () => undefined;
  trace('exited');
  // Whatever outlived the main process (daemons, background children) dies with the run.
  await killEverything();
  trace('killed');
  if (cgroup) {
    const kernel = await cgroup.usage();
    cpuMs = Math.max(cpuMs, kernel.cpuMs);
    peakMemoryKb = Math.max(peakMemoryKb, kernel.peakMemoryKb);
    if (limitHit === null && kernel.memoryLimitHit) limitHit = 'memory-limit';
    if (limitHit === null && kernel.taskLimitHit) limitHit = 'process-limit';
  }
  // Removing the cgroup waits for the kernel to reap the processes; nobody needs to wait for
  // that before seeing the result, so it finishes in the background (see settleCleanups).
  trackCleanup(
    Promise.all([cgroup?.remove(), diag.close(), Promise.resolve().then(() => removeStaging(staged))]).then(
      () => trace('cleaned up'),
    ),
  );

  let harnessDocument: unknown = null;
  let harnessDocumentError: string | null = null;
  if (resultBytes > MAX_RESULT_DOCUMENT_BYTES) {
    harnessDocumentError = `the harness document was larger than ${MAX_RESULT_DOCUMENT_BYTES} bytes`;
  } else if (resultBytes === 0) {
    harnessDocumentError =
      'no harness document arrived (the program ended the process itself, or was killed)';
  } else {
    try {
      harnessDocument = JSON.parse(Buffer.concat(resultChunks).toString('utf8'));
    } catch (error) {
      harnessDocumentError = `the harness document is not JSON: ${(error as Error).message}`;
    }
  }

  let exitCode = exit.code;
  let signal: string | null = exit.signal;
  // bwrap reports a child killed by signal N as exit status 128 + N.
  if (options.isolated && exitCode !== null && exitCode > 128 && exitCode < 160 && harnessDocument === null) {
    signal = signalName(exitCode - 128);
    exitCode = null;
  }

  return {
    backend: options.backendName,
    stagingDir: staged.dir,
    isolated: options.isolated,
    exitCode,
    signal,
    limitHit,
    cancelled,
    wallMs,
    cpuMs,
    peakMemoryKb,
    peakTasks,
    cpusAvailable: availableParallelism(),
    output,
    outputBytes,
    outputTruncated,
    harnessDocument,
    harnessDocumentError,
    stacks: stacksCollected ? diag.dumps : [],
    processes,
  };
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
