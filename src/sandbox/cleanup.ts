/**
 * Ending a run: killing everything it started, and removing its cgroup, stack-dump channel and
 * staging folder in the background, with one place to wait for all of that at shutdown.
 */
import type { RunCgroup } from './cgroups.js';
import { killPids, listTree, summarise } from './process-tree.js';

/**
 * Kills a run's every process. With a PID namespace, killing the sandbox's root kills
 * everything in it; the walk and the group cover the unisolated backend, the cgroup covers
 * anything that escaped both.
 */
export async function killRun(
  rootPid: number | undefined,
  cgroup: RunCgroup | null,
  seenPids: ReadonlySet<number>,
): Promise<void> {
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
}

const pendingCleanups = new Set<Promise<unknown>>();

/** Lets a run's cleanup finish after its outcome is returned; settleCleanups waits for it. */
export function trackCleanup(cleanup: Promise<unknown>): void {
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
