/**
 * A warm pool of pre-started sandboxes. Starting bubblewrap and CPython and importing the
 * harness costs tens of milliseconds; a pooled sandbox has done all of that and waits for
 * its job, so a run costs little more than the program itself. Each sandbox serves exactly
 * one run (never reused: no state can pass between runs) and is replaced in the background.
 */
import { DEFAULT_LIMITS } from './limits.js';
import { settleCleanups } from './cleanup.js';
import { dispatchRun, executeRun } from './execute.js';
import { launchSandbox, type ExecuteOptions, type LaunchedSandbox } from './launch.js';
import { checkJobFiles } from './staging.js';
import type { Sandbox, SandboxOutcome, SandboxRunSpec } from './types.js';

/** A backend that can be pre-started: it describes how to launch one of its sandboxes. */
export interface LaunchableSandbox extends Sandbox {
  executeOptions(): ExecuteOptions;
}

export interface WarmPoolOptions {
  /** Sandboxes kept ready; usually the queue's concurrency. */
  size: number;
}

export class WarmPool implements Sandbox {
  readonly name: string;
  readonly isolated: boolean;
  private readonly ready: Promise<LaunchedSandbox | null>[] = [];
  private closed = false;

  constructor(
    private readonly backend: LaunchableSandbox,
    options: WarmPoolOptions,
  ) {
    this.name = `${backend.name} (warm pool)`;
    this.isolated = backend.isolated;
    for (let i = 0; i < options.size; i++) this.refill();
  }

  private refill(): void {
    if (this.closed) return;
    // A failed pre-start is not an error for anyone: that run simply starts cold.
    this.ready.push(launchSandbox(this.backend.executeOptions(), DEFAULT_LIMITS.scratchMb).catch(() => null));
  }

  /** Only runs with the pool's launch-time settings can use a pooled sandbox. */
  private fits(spec: SandboxRunSpec): boolean {
    return spec.limits.scratchMb === DEFAULT_LIMITS.scratchMb && Object.keys(spec.env ?? {}).length === 0;
  }

  async run(spec: SandboxRunSpec): Promise<SandboxOutcome> {
    // A job that cannot be staged must not use up a ready sandbox.
    checkJobFiles(spec.files);
    if (this.closed || !this.fits(spec) || this.ready.length === 0) return this.backend.run(spec);
    const next = this.ready.shift() as Promise<LaunchedSandbox | null>;
    const launched = await next;
    try {
      if (!launched || launched.child.exitCode !== null || launched.child.signalCode !== null) {
        await launched?.discard();
        return await executeRun(spec, this.backend.executeOptions());
      }
      return await dispatchRun(launched, spec);
    } finally {
      // Replaced after the run rather than during it, so the start-up of the next sandbox
      // does not compete for CPU with the run being measured.
      this.refill();
    }
  }

  /** Kills every sandbox still waiting; runs in progress finish normally. */
  async close(): Promise<void> {
    this.closed = true;
    const waiting = this.ready.splice(0);
    await Promise.all(waiting.map(async (p) => (await p)?.discard()));
    await settleCleanups();
  }
}
