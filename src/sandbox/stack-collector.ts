/**
 * The stacks-before-kill diagnosis of a timeout: a snapshot of the run's processes (what each
 * is blocked in), then every Python process's stacks over the stack-dump socket, which is open
 * only for this (README.md › "The stack-dump socket costs the host bounded memory").
 */
import type { StackDump } from '../core/documents.js';
import type { DiagServer } from './diag-server.js';
import { killPids, listTree, snapshotTree } from './process-tree.js';
import type { ProcessSnapshot } from './types.js';

/** How long Python processes get to send their stacks after SIGUSR1, before the kill. */
const STACK_DUMP_GRACE_MS = 600;
const POLL_MS = 20;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class StackCollector {
  processes: ProcessSnapshot[] = [];
  private collected = false;

  constructor(
    private readonly rootPid: number | undefined,
    /** Commands of the backend's own processes, which get no SIGUSR1 (LaunchPlan). */
    private readonly infrastructureCommands: readonly string[],
    private readonly diag: DiagServer,
    /** What the run's stdin pipe is called in /proc (to name a read of it), when known. */
    private readonly stdinPipeTarget: string | null,
    /** True once the run's main process has exited: no stack is coming then. */
    private readonly finished: () => boolean,
  ) {}

  /** The stacks received, once collect() has run; none otherwise. */
  get stacks(): StackDump[] {
    return this.collected ? this.diag.dumps : [];
  }

  async collect(): Promise<void> {
    if (this.rootPid === undefined) return;
    const tree = await listTree(this.rootPid);
    const infrastructure = new Set(
      tree.filter((p) => this.infrastructureCommands.includes(p.command)).map((p) => p.pid),
    );
    const programPids = tree.filter((p) => !infrastructure.has(p.pid)).map((p) => p.pid);
    const pythonCount = tree.filter((p) => p.command.startsWith('python')).length;
    // Snapshot before signalling: the handler wakes blocked calls, which would hide where they were.
    this.processes = await snapshotTree(tree, this.stdinPipeTarget, infrastructure);
    // The socket exists only now: at any other time a program's connections fail in the kernel.
    await this.diag.open().catch(() => undefined);
    killPids(programPids, 'SIGUSR1');
    const deadline = performance.now() + STACK_DUMP_GRACE_MS;
    while (performance.now() < deadline && this.diag.dumps.length < pythonCount && !this.finished()) {
      await delay(POLL_MS);
    }
    await this.diag.stopAccepting();
    this.collected = true;
  }
}
