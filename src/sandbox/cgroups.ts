/**
 * Optional kernel-enforced limits through cgroup v1 (pids, memory, cpuacct), used when the
 * host lets us create groups (typically as root). Without them the sandbox still enforces
 * every limit, by rlimits inside plus /proc sampling from the host; cgroups make the memory
 * and task limits exact for the whole tree instead of per process or per sample.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';
const CONTROLLERS = ['pids', 'memory', 'cpuacct'] as const;
type Controller = (typeof CONTROLLERS)[number];

function ownGroupPath(cgroupFile: string, controller: Controller | 'cpu'): string | null {
  for (const line of cgroupFile.split('\n')) {
    const [, names, path] = line.split(':');
    if (names?.split(',').includes(controller)) return path ?? '/';
  }
  return null;
}

export interface CgroupLimits {
  memoryBytes: number;
  tasks: number;
}

export interface CgroupUsage {
  peakMemoryKb: number;
  cpuMs: number;
  /** The kernel's OOM killer killed a process of the run for reaching the memory limit. */
  memoryLimitHit: boolean;
  /** A fork or thread creation was refused by pids.max. */
  taskLimitHit: boolean;
  /** Processes plus threads in the group now. */
  tasks: number;
}

export class RunCgroup {
  private constructor(private readonly dirs: Record<Controller, string>) {}

  /** The run's own cpu group, made by weightCpu (removed with the others). */
  private cpuDir: string | null = null;

  /**
   * Gives the run's processes `shares` of CPU weight (cgroup v1 cpu.shares; every other group
   * and process weighs 1024) by moving them into a cpu group of their own; whatever they start
   * later is inside too. For exclusive jobs (CPU-scaling measurements): programs perflab did
   * not start then take far less of the cores the run needs. False where the cpu controller
   * is not writable here: the run goes on unweighted.
   */
  async weightCpu(shares: number): Promise<boolean> {
    const selfGroups = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
    const parent = ownGroupPath(selfGroups, 'cpu');
    if (parent === null || !existsSync(join(CGROUP_ROOT, 'cpu'))) return false;
    const dir = join(CGROUP_ROOT, 'cpu', parent, basename(this.dirs.pids));
    try {
      // Where cpu and cpuacct share a hierarchy, the run's cpuacct group is already this one.
      const made = await mkdir(dir).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          throw error;
        },
      );
      if (made) this.cpuDir = dir;
      await writeFile(join(dir, 'cpu.shares'), String(shares));
      for (const pid of await this.pids()) {
        // A process that has just exited cannot be moved; nothing to weigh then.
        await writeFile(join(dir, 'cgroup.procs'), String(pid)).catch(() => undefined);
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Creates the groups for one run, or returns null where cgroup v1 is not writable here. */
  static async create(runId: string): Promise<RunCgroup | null> {
    if (!existsSync(join(CGROUP_ROOT, 'pids')) || !existsSync(join(CGROUP_ROOT, 'memory'))) return null;
    const selfGroups = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
    const dirs = {} as Record<Controller, string>;
    try {
      for (const controller of CONTROLLERS) {
        const parent = ownGroupPath(selfGroups, controller);
        if (parent === null) return null;
        const dir = join(CGROUP_ROOT, controller, parent, `perflab-${runId}`);
        await mkdir(dir);
        dirs[controller] = dir;
      }
    } catch {
      await new RunCgroup(dirs).remove();
      return null;
    }
    return new RunCgroup(dirs);
  }

  async applyLimits(limits: CgroupLimits): Promise<void> {
    await writeFile(join(this.dirs.pids, 'pids.max'), String(limits.tasks));
    await writeFile(join(this.dirs.memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    const swapLimit = join(this.dirs.memory, 'memory.memsw.limit_in_bytes');
    if (existsSync(swapLimit)) await writeFile(swapLimit, String(limits.memoryBytes)).catch(() => undefined);
  }

  /** Files the launcher writes its own pid into before exec'ing the sandbox, so every descendant is inside. */
  procsFiles(): string[] {
    return CONTROLLERS.map((c) => join(this.dirs[c], 'cgroup.procs'));
  }

  /**
   * Read every 50 ms of every run. Synchronously on purpose: cgroup files are made by the
   * kernel on read and never wait for a disk, and a synchronous read costs a fraction of the
   * CPU of fs.promises (thread-pool round trips) — CPU taken from the runs themselves when
   * every core is busy running learners' code.
   */
  async usage(): Promise<CgroupUsage> {
    const [maxUsage, cpuNs, oomControl, pidsEvents, pidsCurrent] = [
      readKernelFile(this.dirs.memory, 'memory.max_usage_in_bytes'),
      readKernelFile(this.dirs.cpuacct, 'cpuacct.usage'),
      readKernelFile(this.dirs.memory, 'memory.oom_control'),
      readKernelFile(this.dirs.pids, 'pids.events'),
      readKernelFile(this.dirs.pids, 'pids.current'),
    ];
    const pidsMaxEvents = /max (\d+)/.exec(pidsEvents)?.[1];
    return {
      peakMemoryKb: Math.round(Number(maxUsage || 0) / 1024),
      cpuMs: Number(cpuNs || 0) / 1e6,
      memoryLimitHit: Number(/oom_kill (\d+)/.exec(oomControl)?.[1] ?? 0) > 0,
      taskLimitHit: Number(pidsMaxEvents ?? 0) > 0,
      tasks: Number(pidsCurrent || 0),
    };
  }

  async pids(): Promise<number[]> {
    const text = readKernelFile(this.dirs.pids, 'cgroup.procs');
    return text.split('\n').filter(Boolean).map(Number);
  }

  /** Whether any of the run's groups still exists. */
  exists(): boolean {
    return Object.values(this.dirs).some((dir) => existsSync(dir));
  }

  /** Removes the groups; the caller has killed every process in them. Retries (for up to 2 s) while the kernel reaps. */
  async remove(): Promise<void> {
    await Promise.all(
      [...Object.values(this.dirs), ...(this.cpuDir ? [this.cpuDir] : [])].map(async (dir) => {
        for (let attempt = 0; attempt < 400; attempt++) {
          try {
            await rmdir(dir);
            return;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
            await new Promise((resolve) => setTimeout(resolve, attempt < 20 ? 1 : 10));
          }
        }
      }),
    );
  }
}

/** A cgroup file's text, or '' when it is missing (the group is gone, or the kernel lacks it). */
function readKernelFile(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch {
    return '';
  }
}

/** Whether this process can create cgroup v1 groups for runs (doctor reports it). */
export async function cgroupsAvailable(): Promise<boolean> {
  const probe = await RunCgroup.create(`probe-${process.pid}`);
  if (!probe) return false;
  await probe.remove();
  return true;
}
