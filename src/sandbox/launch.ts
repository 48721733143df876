/**
 * Starting a sandbox ahead of its job: a staging folder, a stack-dump channel, a cgroup where
 * cgroups are writable, and the backend's command started through the launcher, its harness
 * waiting (env PERFLAB_WAIT_FOR_GO) for "go". Launched by the warm pool ahead of time, or just
 * before dispatch (execute.ts) for a cold run. A backend only says how to launch (`LaunchPlan`).
 */
import type { Readable, Writable } from 'node:stream';
import { RunCgroup } from './cgroups.js';
import { DiagServer } from './diag-server.js';
import { spawnThroughLauncher, type SandboxChild } from './launcher.js';
import { RESULT_FD, HIDDEN_FD } from './pipes.js';
import { killPids } from './process-tree.js';
import { createStaging, removeStaging, type StagedRun } from './staging.js';

export interface LaunchPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Commands of the backend's own processes in the tree, which must not get SIGUSR1. */
  infrastructureCommands: string[];
  /**
   * Bytes the command reads from descriptor LAUNCH_INPUT_FD and closes before it runs anything
   * else (bwrap's `--seccomp FD`: the seccomp filter). The launcher keeps that descriptor open.
   */
  launchInput?: Buffer;
}

export interface ExecuteOptions {
  backendName: string;
  isolated: boolean;
  useCgroups: boolean;
  /** The uid/gid the harness drops to before learner code runs, when the sandbox starts as root. */
  dropPrivileges: { uid: number; gid: number } | null;
  /** The runtime's Python, for the launcher where perl is missing (see launcherCommand). */
  launcherPython: string;
  plan: (
    staged: StagedRun,
    launch: { scratchMb: number; env: Record<string, string> },
  ) => Promise<LaunchPlan> | LaunchPlan;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Bytes that arrived before dispatch, per channel, in order. */
export interface EarlyBytes {
  stdout: Buffer[];
  stderr: Buffer[];
  result: Buffer[];
}

/** A started sandbox whose harness waits for its job. Serves exactly one dispatch, or is discarded. */
export class LaunchedSandbox {
  readonly exited: Promise<ChildExit>;
  /** Output and result bytes that arrive before dispatch are buffered here. */
  readonly early: EarlyBytes = { stdout: [], stderr: [], result: [] };
  private discarded: Promise<void> | null = null;
  private closed = false;

  constructor(
    readonly options: ExecuteOptions,
    readonly staged: StagedRun,
    readonly diag: DiagServer,
    readonly cgroup: RunCgroup | null,
    readonly plan: LaunchPlan,
    readonly child: SandboxChild,
  ) {
    this.exited = new Promise((resolve) => {
      const end = (exit: ChildExit) => {
        this.closed = true;
        resolve(exit);
      };
      child.once('close', (code, signal) => end({ code, signal }));
      child.once('error', () => end({ code: null, signal: null }));
    });
    const buffer = (into: Buffer[]) => (chunk: Buffer) => into.push(chunk);
    child.stdout.on('data', buffer(this.early.stdout));
    child.stderr.on('data', buffer(this.early.stderr));
    this.resultPipe.on('data', buffer(this.early.result));
    for (const stream of [child.stdin, this.resultPipe, this.hiddenPipe]) stream.on('error', () => undefined);
  }

  /** True once the sandbox's first process has exited and its pipes are closed (`exited` resolved). */
  get hasExited(): boolean {
    return this.closed;
  }

  /** Harness → host: the result document. */
  get resultPipe(): Readable {
    return this.child.stdio[RESULT_FD] as Readable;
  }

  /** Host → harness: "go", then hidden material. */
  get hiddenPipe(): Writable {
    return this.child.stdio[HIDDEN_FD] as Writable;
  }

  /** Kills the sandbox and removes everything of it (an unused pooled sandbox, a failed dispatch). */
  discard(): Promise<void> {
    this.discarded ??= (async () => {
      const { child, cgroup } = this;
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await this.exited;
      if (cgroup) {
        killPids(await cgroup.pids());
        await cgroup.remove();
      }
      await this.diag.close();
      removeStaging(this.staged);
    })();
    return this.discarded;
  }
}

export async function launchSandbox(
  options: ExecuteOptions,
  scratchMb: number,
  extraEnv: Record<string, string> = {},
): Promise<LaunchedSandbox> {
  const staged = createStaging();
  const diag = DiagServer.create(staged.socketPath);
  let cgroup: RunCgroup | null = null;
  let plan: LaunchPlan;
  try {
    cgroup = options.useCgroups ? await RunCgroup.create(staged.runId) : null;
    plan = await options.plan(staged, { scratchMb, env: { ...extraEnv, PERFLAB_WAIT_FOR_GO: '1' } });
  } catch (error) {
    await cgroup?.remove();
    removeStaging(staged);
    throw error;
  }
  // Every run starts through the launcher: it joins the run's groups before exec'ing the
  // sandbox (so every descendant is accounted for) and closes every descriptor but the pipes.
  const child = spawnThroughLauncher({
    python: options.launcherPython,
    procsFiles: cgroup ? cgroup.procsFiles() : [],
    command: plan.command,
    args: plan.args,
    env: plan.env,
    launchInput: plan.launchInput,
  });
  return new LaunchedSandbox(options, staged, diag, cgroup, plan, child);
}
