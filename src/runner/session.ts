import type { PythonRuntime } from '../core/runtime.js';
import { loadRuntime } from '../pyenv/runtime.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import type { JobQueue } from '../queue/types.js';
import { selectSandbox, type BackendChoice } from '../sandbox/select.js';
import type { Sandbox } from '../sandbox/types.js';
import { Runner } from './runner.js';

export interface PerflabSessionOptions {
  backend?: BackendChoice;
  concurrency?: number;
  runtime?: PythonRuntime;
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
  const sandbox = selectSandbox(runtime, options.backend ?? envBackend ?? 'auto');
  const queue = createMemoryQueue({ concurrency: options.concurrency });
  return {
    runtime,
    sandbox,
    queue,
    runner: new Runner(sandbox, queue),
    close: () => queue.close(),
  };
}
