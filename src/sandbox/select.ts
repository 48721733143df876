import type { PythonRuntime } from '../core/runtime.js';
import { BwrapSandbox, bwrapWorks } from './bwrap.js';
import { ProcessSandbox } from './process-backend.js';
import type { Sandbox } from './types.js';
import { WarmPool, type LaunchableSandbox } from './pool.js';

export type BackendChoice = 'auto' | 'bwrap' | 'process';

export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

/**
 * bubblewrap wherever it works; the unisolated process backend only where it cannot run
 * (or when asked for explicitly). Asking for bwrap where it cannot run is an error, never
 * a silent downgrade.
 */
export function selectSandbox(
  runtime: PythonRuntime,
  choice: BackendChoice = 'auto',
  warmPoolSize = 0,
): Sandbox {
  const backend = pickBackend(runtime, choice);
  return warmPoolSize > 0 ? new WarmPool(backend, { size: warmPoolSize }) : backend;
}

function pickBackend(runtime: PythonRuntime, choice: BackendChoice): LaunchableSandbox {
  if (choice === 'process') return new ProcessSandbox({ runtime });
  const probe = bwrapWorks();
  if (probe.ok) return new BwrapSandbox({ runtime });
  if (choice === 'bwrap')
    throw new SandboxUnavailableError(`the bubblewrap sandbox is unavailable: ${probe.reason}`);
  return new ProcessSandbox({ runtime });
}
