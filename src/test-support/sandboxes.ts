/** Shared set-up for tests that run real Python in real sandboxes. */
import { readdirSync, readFileSync } from 'node:fs';
import type { HarnessMode, JobDocument } from '../core/documents.js';
import { loadRuntime } from '../pyenv/runtime.js';
import type { JobRequest } from '../runner/runner.js';
import { BwrapSandbox, bwrapWorks } from '../sandbox/bwrap.js';
import { resolveLimits, type ResourceLimits } from '../sandbox/limits.js';
import { ProcessSandbox } from '../sandbox/process-backend.js';
import { WarmPool } from '../sandbox/pool.js';
import type { JobFile, Sandbox, SandboxRunSpec, StdinSpec } from '../sandbox/types.js';

export const runtime = loadRuntime();

/** In CI the isolated backend is required: its absence fails the suite instead of skipping it. */
export function requireBwrap(): BwrapSandbox {
  const probe = bwrapWorks();
  if (!probe.ok) throw new Error(`bubblewrap is required for these tests: ${probe.reason}`);
  return new BwrapSandbox({ runtime });
}

export function availableSandboxes(): { name: string; make: () => Sandbox }[] {
  const list: { name: string; make: () => Sandbox }[] = [];
  if (bwrapWorks().ok || process.env.CI) {
    list.push({ name: 'bubblewrap', make: () => requireBwrap() });
    list.push({ name: 'bubblewrap warm pool', make: () => new WarmPool(requireBwrap(), { size: 2 }) });
  }
  list.push({ name: 'process', make: () => new ProcessSandbox({ runtime }) });
  return list;
}

export function job(mode: JobDocument['mode'] = 'run', extra: Partial<JobDocument> = {}): JobDocument {
  return {
    schema: 'perflab.job/1',
    mode,
    entry: 'main.py',
    argv: [],
    rlimits: {
      nproc: 256,
      fileSizeBytes: 64 * 1024 * 1024,
      openFiles: 1024,
      cpuSeconds: 60,
      addressSpaceBytes: null,
    },
    dropPrivileges: null,
    ...extra,
  };
}

export interface ProgramOptions {
  limits?: Partial<ResourceLimits>;
  stdin?: StdinSpec;
  files?: JobFile[];
  argv?: string[];
  env?: Record<string, string>;
  signal?: AbortSignal;
}

export function program(source: string, options: ProgramOptions = {}): SandboxRunSpec {
  return {
    files: [{ path: 'main.py', content: source }, ...(options.files ?? [])],
    job: job('run', { argv: options.argv ?? [] }),
    stdin: options.stdin ?? { mode: 'closed' },
    limits: resolveLimits({ wallS: 20, ...options.limits }),
    env: options.env,
    signal: options.signal,
  };
}

export function stdoutOf(outcome: { output: { stream: string; text: string }[] }): string {
  return outcome.output
    .filter((c) => c.stream === 'stdout')
    .map((c) => c.text)
    .join('');
}

export function stderrOf(outcome: { output: { stream: string; text: string }[] }): string {
  return outcome.output
    .filter((c) => c.stream === 'stderr')
    .map((c) => c.text)
    .join('');
}

/** Host processes whose command line contains `text` (what a run left behind, if anything). */
export function hostProcessesNaming(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

/** A runner job whose entry is main.py holding `source`; `extra` adds files, options and limits. */
export function mainPyJob<M extends HarnessMode>(
  mode: M,
  source: string,
  extra: Partial<Omit<JobRequest<M>, 'mode' | 'entry'>> = {},
): JobRequest<M> {
  return {
    ...extra,
    mode,
    entry: 'main.py',
    files: [{ path: 'main.py', content: source }, ...(extra.files ?? [])],
  };
}
