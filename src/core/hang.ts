/**
 * Turns the stacks and process states captured before a timeout kill into sentences that say
 * where each process was stuck, e.g. "main thread waiting in subprocess.communicate".
 */
import type { StackDump, StackFrame } from './documents.js';

/** The subset of the sandbox's process snapshot this needs (kept here so core stays pure). */
export interface StuckProcess {
  pid: number;
  /** The pid inside the sandbox, which stack dumps report. */
  innerPid: number;
  command: string;
  blockedIn: string | null;
}

/** Library functions whose names tell what a thread is waiting for, by file ending and function. */
const WAITS: { file: RegExp; fn: RegExp; says: string }[] = [
  {
    file: /subprocess\.py$/,
    fn: /communicate/,
    says: 'waiting in subprocess.communicate for a child process',
  },
  {
    file: /subprocess\.py$/,
    fn: /^(wait|_wait|_try_wait)$/,
    says: 'waiting for a child process to exit (Popen.wait)',
  },
  { file: /subprocess\.py$/, fn: /^run$/, says: 'waiting in subprocess.run for a child process' },
  { file: /threading\.py$/, fn: /^join$/, says: 'waiting in Thread.join for another thread' },
  { file: /threading\.py$/, fn: /^wait$/, says: 'waiting on a threading Event or Condition' },
  { file: /threading\.py$/, fn: /acquire/, says: 'waiting to acquire a lock' },
  { file: /queue\.py$/, fn: /^get$/, says: 'waiting on queue.Queue.get for an item that never comes' },
  { file: /queue\.py$/, fn: /^put$/, says: 'waiting on queue.Queue.put for space' },
  { file: /multiprocessing\/pool\.py$/, fn: /./, says: 'waiting on a multiprocessing pool' },
  {
    file: /multiprocessing\/(connection|queues)\.py$/,
    fn: /./,
    says: 'waiting on a multiprocessing queue or pipe',
  },
  { file: /concurrent\/futures\//, fn: /./, says: 'waiting on a concurrent.futures result' },
  {
    file: /asyncio\/(base_events|selector_events|events)\.py$/,
    fn: /./,
    says: 'inside the asyncio event loop',
  },
  { file: /selectors\.py$/, fn: /select/, says: 'waiting for I/O in select' },
  { file: /socket\.py$/, fn: /./, says: 'waiting on a socket' },
];

function isLibrary(frame: StackFrame): boolean {
  return frame.file.startsWith('/') || frame.file.startsWith('<');
}

function describeKernelWait(blockedIn: string | null): string | null {
  if (!blockedIn) return null;
  if (blockedIn.includes("the run's stdin")) return 'blocked reading stdin, which never delivers data';
  if (blockedIn.startsWith('read(')) return `blocked in ${blockedIn}`;
  if (/nanosleep/.test(blockedIn)) return 'sleeping';
  if (/wait4|waitid/.test(blockedIn)) return 'waiting for a child process to exit';
  if (/futex/.test(blockedIn)) return 'waiting on a lock or condition';
  if (/poll|select|epoll/.test(blockedIn)) return 'waiting for I/O';
  if (blockedIn === 'running') return 'running (busy on the CPU)';
  return `blocked in ${blockedIn}`;
}

function where(frames: readonly StackFrame[]): string {
  const userFrame = [...frames].reverse().find((f) => !isLibrary(f));
  if (!userFrame) return '';
  const code = userFrame.code ? ` \`${userFrame.code.trim()}\`` : '';
  return ` at ${userFrame.file}:${userFrame.line ?? '?'} in ${userFrame.function}${code}`;
}

function describeThread(frames: readonly StackFrame[], kernel: string | null, isMain: boolean): string {
  for (const frame of [...frames].reverse()) {
    // Frames carry qualified names (`Popen.communicate`); the table matches the last part.
    const name = frame.function.split('.').pop() ?? frame.function;
    const wait = WAITS.find((w) => w.file.test(frame.file) && w.fn.test(name));
    if (wait) return `${wait.says}${where(frames)}`;
  }
  const fallback = isMain ? kernel : null;
  return `${fallback ?? 'running'}${where(frames)}`;
}

export interface HangDiagnosis {
  /** One line per process (and per thread of Python processes). */
  lines: string[];
}

export function diagnoseHang(
  stacks: readonly StackDump[],
  processes: readonly StuckProcess[],
): HangDiagnosis {
  const lines: string[] = [];
  const describedPids = new Set<number>();
  for (const dump of stacks) {
    const snapshot = processes.find((p) => p.innerPid === dump.pid);
    if (snapshot) describedPids.add(snapshot.pid);
    const kernel = describeKernelWait(snapshot?.blockedIn ?? null);
    const label = `process ${dump.pid} (python ${dump.argv.join(' ')})`;
    for (const thread of dump.threads) {
      const who = thread.isMain ? 'main thread' : `thread "${thread.name}"`;
      lines.push(`${label}: ${who} ${describeThread(thread.frames, kernel, thread.isMain)}`);
    }
  }
  for (const proc of processes) {
    if (describedPids.has(proc.pid)) continue;
    lines.push(
      `process ${proc.pid} (${proc.command}): ${describeKernelWait(proc.blockedIn) ?? 'state unknown'}`,
    );
  }
  return { lines };
}
