/**
 * One py-spy process, started on the host against a learner process's host pid, with limits:
 * an address-space, CPU-time and file-size limit (prlimit(1) from util-linux, or a `sh ulimit`
 * wrapper where prlimit is missing), no stdin, and a deadline after which it is killed. Its
 * output (Chrome trace-event JSON) is read back with a size cap and parsed defensively: py-spy
 * parses memory a hostile program controls, so its output is untrusted too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { traceEventSchema, type TraceEvent } from '../core/documents.js';

/** py-spy itself needs ~40 MB of address space and ~10 MB resident (measured, 0.4.3); 1 GB is a backstop. */
const ADDRESS_SPACE_BYTES = 1024 * 1024 * 1024;
const PRLIMIT_PATHS = ['/usr/bin/prlimit', '/bin/prlimit'];
/** What py-spy prints on stdout once it has found the interpreter and begun sampling. */
const READY_LINE = 'Sampling process';
/** Enough of py-spy's own messages to explain a failure. */
const MESSAGE_CAP_BYTES = 16 * 1024;

export interface PySpyLaunch {
  binary: string;
  pid: number;
  rateHz: number;
  /** 'idle': every sample of every thread (--idle); 'gil': only samples holding the GIL (--gil). */
  kind: 'idle' | 'gil';
  outputPath: string;
  /** Most bytes py-spy may write (also its RLIMIT_FSIZE, where prlimit exists) and we read. */
  outputCapBytes: number;
  /** CPU seconds py-spy may use (RLIMIT_CPU) and the wall time after which it is killed, ms. */
  deadlineMs: number;
}

function formatBytes(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(0)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
}

export class PySpyError extends Error {
  override name = 'PySpyError';
}

function pySpyArgs(launch: PySpyLaunch): string[] {
  return [
    'record',
    '--pid',
    String(launch.pid),
    '--subprocesses',
    launch.kind === 'gil' ? '--gil' : '--idle',
    '--threads',
    // process_vm_readv only: the program is never stopped by the sampler (no ptrace stop).
    '--nonblocking',
    '--rate',
    String(launch.rateHz),
    '--format',
    'chrometrace',
    '--output',
    launch.outputPath,
  ];
}

/** The command that starts py-spy under its limits; both forms exec py-spy with the same pid. */
function limitedCommand(launch: PySpyLaunch): { command: string; args: string[] } {
  const cpuSeconds = Math.ceil(launch.deadlineMs / 1000) + 1;
  const prlimit = PRLIMIT_PATHS.find((path) => existsSync(path));
  if (prlimit) {
    return {
      command: prlimit,
      args: [
        `--as=${ADDRESS_SPACE_BYTES}`,
        `--cpu=${cpuSeconds}`,
        `--fsize=${launch.outputCapBytes + 1}`,
        '--',
        launch.binary,
        ...pySpyArgs(launch),
      ],
    };
  }
  // ulimit -v counts KiB in every POSIX shell; -f units differ between shells, so the output
  // cap is then enforced only when reading.
  return {
    command: '/bin/sh',
    args: [
      '-c',
      `ulimit -v ${ADDRESS_SPACE_BYTES / 1024} && ulimit -t ${cpuSeconds} && exec "$0" "$@"`,
      launch.binary,
      ...pySpyArgs(launch),
    ],
  };
}

/** A started py-spy: `ready` once it samples, `ended` when it has exited (never rejects). */
/**
 * A Chrome trace file read with a size cap and checked against the trace-event schema; every
 * way it can be wrong is a PySpyError naming `label`, never a crash.
 */
export async function readTraceFile(
  path: string,
  capBytes: number,
  label: string,
  whyMissing: () => string = () => 'no message',
): Promise<TraceEvent[]> {
  const size = await stat(path).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) throw new PySpyError(`${label} wrote no output: ${whyMissing()}`);
  if (size > capBytes) {
    throw new PySpyError(
      `${label} wrote more than the ${formatBytes(capBytes)} cap on its output: no capture (lower the sampling rate or shorten the run)`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new PySpyError(`${label} wrote output that is not JSON: ${(error as Error).message}`);
  }
  // py-spy 0.4 writes a bare array; the Chrome format also allows { traceEvents: [...] }.
  const list = Array.isArray(json) ? json : (json as { traceEvents?: unknown } | null)?.traceEvents;
  const parsed = z.array(traceEventSchema).safeParse(list);
  if (!parsed.success) {
    throw new PySpyError(
      `${label} wrote an unexpected trace: ${parsed.error.issues[0]?.message ?? 'not a list'}`,
    );
  }
  return parsed.data;
}

export class PySpyProcess {
  readonly ready: Promise<void>;
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private messages = '';
  private readonly child: ChildProcess;
  private readonly deadline: NodeJS.Timeout;
  private exited = false;

  constructor(readonly launch: PySpyLaunch) {
    const { command, args } = limitedCommand(launch);
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.ended = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        this.exited = true;
        resolve({ code, signal });
      });
      // A spawn error (ENOENT for the wrapper) still ends in 'close'.
      this.child.once('error', (error) => this.note(`${error.message}\n`));
    });
    this.ready = new Promise((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.note(chunk.toString('utf8'));
        if (this.messages.includes(READY_LINE)) resolve();
      };
      this.child.stdout?.on('data', onData);
      this.child.stderr?.on('data', onData);
      void this.ended.then(({ code, signal }) =>
        reject(
          new PySpyError(
            `py-spy (${launch.kind}) ended before sampling (${this.describeExit(code, signal)})`,
          ),
        ),
      );
    });
    // Mark as handled: the observer awaits it, and may give up waiting first.
    this.ready.catch(() => undefined);
    this.deadline = setTimeout(() => this.kill(), launch.deadlineMs);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Waits up to `graceMs` for py-spy to end by itself (it does when the sampled process exits),
   * then asks it to write what it has (SIGINT) and, after another `graceMs`, kills it.
   */
  async finish(graceMs: number): Promise<void> {
    const within = (ms: number) =>
      Promise.race([this.ended.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms))]);
    if (!(await within(graceMs))) {
      this.signal('SIGINT');
      if (!(await within(graceMs))) this.kill();
    }
    await this.ended;
    clearTimeout(this.deadline);
  }

  kill(): void {
    this.signal('SIGKILL');
  }

  /** The trace events py-spy wrote; throws PySpyError with a sentence when there are none to read. */
  readEvents(): Promise<TraceEvent[]> {
    const { outputPath, outputCapBytes, kind } = this.launch;
    return readTraceFile(
      outputPath,
      outputCapBytes,
      `py-spy (${kind})`,
      () => this.lastMessage() || 'no message',
    );
  }

  /** From py-spy's last words, "Wrote chrome trace to '…'. Samples: N Errors: M": M. */
  reportedErrors(): number {
    return Number(/Samples: \d+ Errors: (\d+)/.exec(this.messages)?.[1] ?? 0);
  }

  /** The last line py-spy printed (its error, when it failed). */
  lastMessage(): string {
    return (
      this.messages
        .split('\n')
        .map((line) => line.replace(/^py-spy> /, '').trim())
        .filter(Boolean)
        .at(-1) ?? ''
    );
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): string {
    const how = signal ? `killed by ${signal}` : `exit status ${code}`;
    // py-spy's error is its first "Error: …" line; a wrapper's (prlimit, sh) is its last line.
    const lines = this.messages.split('\n').map((line) => line.trim());
    const reason =
      lines.find((line) => line.startsWith('Error:'))?.replace(/^Error:\s*/, '') ?? this.lastMessage();
    return reason ? `${how}: ${reason}` : how;
  }

  private note(text: string): void {
    if (this.messages.length < MESSAGE_CAP_BYTES) this.messages += text.slice(0, MESSAGE_CAP_BYTES);
  }

  private signal(name: NodeJS.Signals): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      process.kill(this.child.pid, name);
    } catch {
      // Already gone.
    }
  }
}
