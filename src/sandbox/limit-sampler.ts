/**
 * Enforces a run's CPU, memory and process limits by sampling what the run uses, and keeps the
 * peaks for the outcome. Where the run has a cgroup the kernel counts the whole group (daemons
 * included) and enforces memory and tasks itself; otherwise the process tree is walked in /proc.
 */
import type { RunCgroup } from './cgroups.js';
import type { LimitName, ResourceLimits } from './limits.js';
import { listTree, summarise } from './process-tree.js';

const SAMPLE_INTERVAL_MS = 50;

/** What the sampler tells the run it belongs to. */
export interface LimitListener {
  /** A limit was exceeded: stop the run. May be called again for memory and processes. */
  exceeded(limit: LimitName): void;
  /** Whether a limit (or the wall clock) already stopped the run: no CPU verdict is needed then. */
  limitHit(): boolean;
}

export class LimitSampler {
  cpuMs = 0;
  peakMemoryKb = 0;
  peakTasks = 0;
  /** Every pid a /proc walk saw (no cgroup): killed with the run even if reparented away. */
  readonly seenPids = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  /** One sample at a time: a big tree (a fork bomb) must not pile up overlapping samples. */
  private sampling = false;
  private stopped = false;

  constructor(
    /** The run's first process; undefined when it never started (nothing to sample then). */
    private readonly rootPid: number | undefined,
    private readonly cgroup: RunCgroup | null,
    private readonly limits: ResourceLimits,
    private readonly listener: LimitListener,
  ) {}

  start(): void {
    const { rootPid } = this;
    if (rootPid === undefined) return;
    this.timer = setInterval(() => {
      if (this.stopped || this.sampling) return;
      this.sampling = true;
      void this.sample(rootPid).finally(() => {
        this.sampling = false;
      });
    }, SAMPLE_INTERVAL_MS);
  }

  /** No more samples (the run's main process has exited). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * After the run: the kernel's final figures where there is a cgroup (a limit the kernel
   * enforced between samples shows only here). Returns the limit they show was hit, if any.
   */
  async finalReading(): Promise<LimitName | null> {
    if (!this.cgroup) return null;
    const kernel = await this.cgroup.usage();
    this.cpuMs = Math.max(this.cpuMs, kernel.cpuMs);
    this.peakMemoryKb = Math.max(this.peakMemoryKb, kernel.peakMemoryKb);
    if (kernel.memoryLimitHit) return 'memory-limit';
    if (kernel.taskLimitHit) return 'process-limit';
    return null;
  }

  private async sample(rootPid: number): Promise<void> {
    const { limits, listener } = this;
    if (this.cgroup) {
      const kernel = await this.cgroup.usage();
      this.record(kernel.cpuMs, kernel.peakMemoryKb, kernel.tasks);
      if (kernel.taskLimitHit) listener.exceeded('process-limit');
      if (kernel.memoryLimitHit) listener.exceeded('memory-limit');
    } else {
      const usage = summarise(await listTree(rootPid, { withPss: true }));
      usage.pids.forEach((pid) => this.seenPids.add(pid));
      this.record(usage.cpuMs, usage.rssKb, usage.tasks);
      if (this.peakMemoryKb > limits.memoryMb * 1024) listener.exceeded('memory-limit');
      else if (usage.tasks >= limits.tasks) listener.exceeded('process-limit');
    }
    if (!listener.limitHit() && this.cpuMs > limits.cpuS * 1000) listener.exceeded('cpu-limit');
  }

  private record(cpuMs: number, memoryKb: number, tasks: number): void {
    this.cpuMs = Math.max(this.cpuMs, cpuMs);
    this.peakMemoryKb = Math.max(this.peakMemoryKb, memoryKb);
    this.peakTasks = Math.max(this.peakTasks, tasks);
  }
}
