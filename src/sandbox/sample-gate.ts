/**
 * The sample gate (job.sampleGate): the learner process stops itself (SIGSTOP) before any
 * learner code runs; the host finds it in the run's process tree, lets the observer attach
 * from outside the sandbox, and continues it. The learner process is ALWAYS continued, also
 * when attaching fails or takes too long: sampling may fail, the run may not.
 */
import { listTree } from './process-tree.js';
import type { RunObserver } from './types.js';

/** The harness's supervisor names itself so (python/perflab_harness/supervisor.py). */
const SUPERVISOR_COMMAND = 'perflab-harness';
/** Between two looks at the tree while waiting for the learner process to stop (ms). */
const FIND_POLL_MS = 2;
/** The harness sets up in well under a second; a busy machine may take a few (ms). */
const FIND_TIMEOUT_MS = 8000;
const ATTACH_TIMEOUT_MS = 5000;

export interface GateOptions {
  findTimeoutMs?: number;
  attachTimeoutMs?: number;
}

/** The host pid of the run's learner process once it has stopped at the gate; null if never. */
async function findStoppedLearner(
  rootPid: number,
  hasExited: () => boolean,
  timeoutMs: number,
): Promise<number | null> {
  const giveUpAtMs = performance.now() + timeoutMs;
  while (!hasExited() && performance.now() < giveUpAtMs) {
    const tree = await listTree(rootPid);
    const supervisors = new Set(tree.filter((p) => p.command === SUPERVISOR_COMMAND).map((p) => p.pid));
    const learner = tree.find((p) => supervisors.has(p.ppid) && p.state === 'T');
    if (learner) return learner.pid;
    await new Promise((resolve) => setTimeout(resolve, FIND_POLL_MS));
  }
  return null;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Waits for the learner process at the gate, attaches the observer (if any), continues the
 * process. Resolves with why sampling failed (one sentence), or null when it began.
 */
export async function passSampleGate(
  rootPid: number,
  observer: RunObserver | undefined,
  hasExited: () => boolean,
  options: GateOptions = {},
): Promise<string | null> {
  const findTimeoutMs = options.findTimeoutMs ?? FIND_TIMEOUT_MS;
  const learnerPid = await findStoppedLearner(rootPid, hasExited, findTimeoutMs);
  if (learnerPid === null) {
    return hasExited()
      ? 'the run ended before its learner process reached the sample gate'
      : `the learner process did not stop at the sample gate within ${findTimeoutMs / 1000} s`;
  }
  try {
    if (observer)
      await withTimeout(
        observer.attach(learnerPid),
        options.attachTimeoutMs ?? ATTACH_TIMEOUT_MS,
        'attaching the sampler',
      );
    return null;
  } catch (error) {
    return `sampling did not start: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    try {
      process.kill(learnerPid, 'SIGCONT');
    } catch {
      // Gone already (killed by a limit or a cancel while waiting).
    }
  }
}
