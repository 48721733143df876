import type { PythonRuntime } from '../core/runtime.js';
import { loadRuntime } from '../pyenv/runtime.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import type { JobQueue } from '../queue/types.js';
import { selectSandbox, type BackendChoice } from '../sandbox/select.js';
import { settleCleanups } from '../sandbox/cleanup.js';
import type { Sandbox } from '../sandbox/types.js';
import { Runner } from './runner.js';

export interface PerflabSessionOptions {
  backend?: BackendChoice;
  concurrency?: number;
  runtime?: PythonRuntime;
  /**
   * Keep `concurrency` sandboxes pre-started (for servers and batches). One-shot commands
   * leave it off: pre-starting sandboxes nobody will use costs CPU.
   */
  warmPool?: boolean;
}

export interface PerflabSession {
  runtime: PythonRuntime;
  sandbox: Sandbox;
  queue: JobQueue;
  runner: Runner;
  close(): Promise<void>;
}

/** Everything needed to run jobs: the Python runtime, the chosen sandbox, and a bounded queue. */
export function openSession(options: PerflabSessionOptions = {}): PerflabSession {
  const runtime = options.runtime ?? loadRuntime();
  const envBackend = process.env.PERFLAB_SANDBOX as BackendChoice | undefined;
  const queue = createMemoryQueue({ concurrency: options.concurrency });
  const sandbox = selectSandbox(
    runtime,
    options.backend ?? envBackend ?? 'auto',
    options.warmPool ? queue.stats().concurrency : 0,
  );
  return {
    runtime,
    sandbox,
    queue,
    runner: new Runner(sandbox, queue),
    close: async () => {
      await queue.close();
      await sandbox.close?.();
      await settleCleanups();
    },
  };
}
