/**
 * Reads a run's process tree from the host's /proc: for CPU and memory accounting across
 * every process of a run, for the stacks-before-kill diagnosis, and for killing the tree.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { ProcessSnapshot } from './types.js';

/** Linux reports CPU times in clock ticks; 100 per second on every mainstream build. */
const CLOCK_TICKS_PER_S = 100;
const PAGE_KB = 4;

export interface ProcStat {
  pid: number;
  ppid: number;
  command: string;
  state: string;
  /** utime + stime + cutime + cstime, in ms: this process and its reaped children. */
  cpuMs: number;
  threads: number;
  rssKb: number;
}

/** Proportional set size: shared pages split among the processes sharing them (so forks are not double-counted). */
async function readPssKb(pid: number): Promise<number | null> {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => null);
  const match = text ? /^Pss:\s+(\d+) kB/m.exec(text) : null;
  return match ? Number(match[1]) : null;
}

async function readProcStat(pid: number): Promise<ProcStat | null> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command sits in parentheses and may itself contain spaces or parentheses.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  const num = (i: number) => Number(fields[i - 3]);
  return {
    pid,
    command: text.slice(open + 1, close),
    state: fields[0] ?? '?',
    ppid: num(4),
    cpuMs: ((num(14) + num(15) + num(16) + num(17)) * 1000) / CLOCK_TICKS_PER_S,
    threads: num(20),
    rssKb: num(24) * PAGE_KB,
  };
}

async function childrenOf(pid: number): Promise<number[] | null> {
  try {
    const tasks = await readdir(`/proc/${pid}/task`);
    const lists = await Promise.all(
      tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')),
    );
    return lists.flatMap((list) => list.split(' ').filter(Boolean).map(Number));
  } catch {
    return null;
  }
}

/** Every live process descending from rootPid, rootPid included (when alive). */
export async function listTree(rootPid: number, options: { withPss?: boolean } = {}): Promise<ProcStat[]> {
  const result: ProcStat[] = [];
  const queue = [rootPid];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const stat = await readProcStat(pid);
    if (!stat) continue;
    if (options.withPss) stat.rssKb = (await readPssKb(pid)) ?? stat.rssKb;
    result.push(stat);
    const children = await childrenOf(pid);
    if (children) queue.push(...children);
  }
  return result;
}

export interface TreeUsage {
  processes: number;
  tasks: number;
  rssKb: number;
  cpuMs: number;
  pids: number[];
}

export function summarise(tree: ProcStat[]): TreeUsage {
  return {
    processes: tree.length,
    tasks: tree.reduce((sum, p) => sum + p.threads, 0),
    rssKb: tree.reduce((sum, p) => sum + p.rssKb, 0),
    cpuMs: tree.reduce((sum, p) => sum + p.cpuMs, 0),
    pids: tree.map((p) => p.pid),
  };
}

export function killPids(pids: number[], signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** x86_64 and aarch64 numbers of the system calls a stuck program is usually sitting in. */
const SYSCALL_NAMES: Record<string, Record<number, string>> = {
  x64: {
    0: 'read',
    1: 'write',
    7: 'poll',
    23: 'select',
    35: 'nanosleep',
    43: 'accept',
    45: 'recvfrom',
    61: 'wait4',
    202: 'futex',
    230: 'clock_nanosleep',
    232: 'epoll_wait',
    247: 'waitid',
    270: 'pselect6',
    271: 'ppoll',
    281: 'epoll_pwait',
    288: 'accept4',
  },
  arm64: {
    63: 'read',
    64: 'write',
    73: 'ppoll',
    72: 'pselect6',
    98: 'futex',
    101: 'nanosleep',
    115: 'clock_nanosleep',
    260: 'wait4',
    95: 'waitid',
    22: 'epoll_pwait',
  },
};

async function describeFd(pid: number, fd: number, stdinPipe: string | null): Promise<string> {
  const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => null);
  if (target === null) return `fd ${fd}`;
  if (stdinPipe !== null && target === stdinPipe)
    return `fd ${fd}: the run's stdin, which never delivers data`;
  if (target.startsWith('pipe:')) return `fd ${fd}: a pipe`;
  if (target.startsWith('socket:')) return `fd ${fd}: a socket`;
  return `fd ${fd}: ${target}`;
}

/** What a process is blocked in, from /proc/PID/syscall (needs the right to ptrace it). */
export async function blockedIn(pid: number, stdinPipe: string | null): Promise<string | null> {
  const text = await readFile(`/proc/${pid}/syscall`, 'utf8').catch(() => null);
  if (text === null) return null;
  const [numberText, firstArg] = text.trim().split(' ');
  if (numberText === 'running' || numberText === undefined)
    return numberText === 'running' ? 'running' : null;
  const name = SYSCALL_NAMES[process.arch]?.[Number(numberText)] ?? `syscall ${numberText}`;
  if ((name === 'read' || name === 'write') && firstArg !== undefined) {
    return `${name}(${await describeFd(pid, Number.parseInt(firstArg, 16), stdinPipe)})`;
  }
  return name;
}

export async function snapshotTree(
  tree: ProcStat[],
  stdinPipe: string | null,
  skipPids: ReadonlySet<number>,
): Promise<ProcessSnapshot[]> {
  const snapshots: ProcessSnapshot[] = [];
  for (const proc of tree) {
    if (skipPids.has(proc.pid)) continue;
    const cmdline = await readFile(`/proc/${proc.pid}/cmdline`, 'utf8').catch(() => '');
    const status = await readFile(`/proc/${proc.pid}/status`, 'utf8').catch(() => '');
    const nsPids = /^NSpid:\s*(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/) ?? [];
    snapshots.push({
      pid: proc.pid,
      innerPid: Number(nsPids.at(-1) ?? proc.pid),
      ppid: proc.ppid,
      command: cmdline.split('\0').filter(Boolean).join(' ') || proc.command,
      state: proc.state,
      blockedIn: await blockedIn(proc.pid, stdinPipe),
      threads: proc.threads,
    });
  }
  return snapshots;
}
