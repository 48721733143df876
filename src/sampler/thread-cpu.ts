/**
 * Kernel CPU time of every thread of a run's process tree, read by the host from /proc while
 * the program runs. py-spy's own idle detection looks the (namespaced) thread id up in the
 * host's /proc, which is wrong across PID namespaces; the kernel's utime + stime per thread is
 * the figure on-CPU vs idle rests on. Learner code cannot write any of it.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { SampleCapture, ThreadCpuReading } from '../core/concurrency/sampled-profile.js';
import { listTree } from '../sandbox/process-tree.js';

/** Linux reports CPU times in clock ticks; 100 per second on every mainstream build. */
const CLOCK_TICKS_PER_S = 100;

type ProcessRecord = SampleCapture['processes'][number];

/** The last field of NSpid in /proc/…/status: the id as the innermost PID namespace sees it. */
function innermostId(status: string, fallback: number): number {
  const fields = /^NSpid:\s*(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/) ?? [];
  const inner = Number(fields.at(-1));
  return Number.isInteger(inner) && inner > 0 ? inner : fallback;
}

/** utime + stime of one thread in ms, and its comm; null when it is gone. */
async function readThreadStat(pid: number, tid: number): Promise<{ cpuMs: number; comm: string } | null> {
  const text = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => null);
  if (text === null) return null;
  // comm sits in parentheses and may itself contain spaces or parentheses.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // Fields 14 and 15 (utime, stime), counted from 1 with pid and comm as 1 and 2.
  const ticks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_S, comm: text.slice(text.indexOf('(') + 1, close) };
}

/**
 * Polls the tree under one root pid (the learner process) every `intervalMs` until stopped.
 * Each poll costs a few small /proc reads per thread; a poll never overlaps the previous one.
 */
export class ThreadCpuPoller {
  private readonly threads = new Map<number, ThreadCpuReading>();
  private readonly processes = new Map<number, ProcessRecord>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** performance.now() at start(): firstSeenMs/lastSeenMs count from here. */
  private startedAtMs = 0;

  constructor(
    private readonly rootPid: number,
    private readonly intervalMs = 25,
  ) {}

  start(): void {
    this.startedAtMs = performance.now();
    this.running = this.poll();
  }

  /** No more readings; waits for one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  get elapsedMs(): number {
    return performance.now() - this.startedAtMs;
  }

  readings(): ThreadCpuReading[] {
    return [...this.threads.values()];
  }

  processList(): ProcessRecord[] {
    return [...this.processes.values()];
  }

  private async poll(): Promise<void> {
    try {
      await this.readOnce();
    } catch {
      // /proc races (a process ending between two reads) only cost one reading.
    }
    if (!this.stopped) this.timer = setTimeout(() => (this.running = this.poll()), this.intervalMs);
  }

  private async readOnce(): Promise<void> {
    const tree = await listTree(this.rootPid);
    const inTree = new Set(tree.map((proc) => proc.pid));
    for (const proc of tree) {
      let record = this.processes.get(proc.pid);
      if (!record) {
        const [cmdline, status] = await Promise.all([
          readFile(`/proc/${proc.pid}/cmdline`, 'utf8').catch(() => ''),
          readFile(`/proc/${proc.pid}/status`, 'utf8').catch(() => ''),
        ]);
        record = {
          hostPid: proc.pid,
          innerPid: innermostId(status, proc.pid),
          parentHostPid: inTree.has(proc.ppid) ? proc.ppid : null,
          command: cmdline.split('\0').filter(Boolean).join(' ') || proc.command,
        };
        this.processes.set(proc.pid, record);
      }
      await this.readThreads(record);
    }
  }

  private async readThreads(owner: ProcessRecord): Promise<void> {
    const tids = await readdir(`/proc/${owner.hostPid}/task`).catch(() => [] as string[]);
    const nowMs = this.elapsedMs;
    await Promise.all(
      tids.map(async (name) => {
        const hostTid = Number(name);
        const stat = await readThreadStat(owner.hostPid, hostTid);
        if (!stat) return;
        const known = this.threads.get(hostTid);
        if (known && known.hostPid === owner.hostPid) {
          known.cpuMs = stat.cpuMs;
          known.comm = stat.comm;
          known.lastSeenMs = nowMs;
          return;
        }
        const status = await readFile(`/proc/${owner.hostPid}/task/${hostTid}/status`, 'utf8').catch(
          () => '',
        );
        this.threads.set(hostTid, {
          hostPid: owner.hostPid,
          innerPid: owner.innerPid,
          hostTid,
          innerTid: innermostId(status, hostTid),
          comm: stat.comm,
          cpuMs: stat.cpuMs,
          firstSeenMs: nowMs,
          lastSeenMs: nowMs,
        });
      }),
    );
  }
}
