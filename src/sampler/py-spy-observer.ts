/**
 * The host-side sampler of a run: py-spy against the learner process's host pid (one instance
 * sampling every thread with idle ones included, a second with --gil when asked), plus the
 * kernel's per-thread CPU time from /proc. It runs outside every namespace of the sandbox (the
 * sandbox's seccomp filter denies ptrace and process_vm_readv inside), is attached while the
 * learner process waits stopped at the sample gate (src/sandbox/execute.ts), and leaves
 * nothing behind: py-spy is killed at the deadline, its private 0700 folder removed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SampleCapture } from '../core/concurrency/sampled-profile.js';
import type { TraceEvent } from '../core/documents.js';
import { REQUIREMENTS_FILE, VENV_DIR } from '../pyenv/paths.js';
import type { RunObserver } from '../sandbox/types.js';
import { repairPySpyTrace } from './chrometrace-repair.js';
import { PySpyError, PySpyProcess } from './py-spy-process.js';
import { ThreadCpuPoller } from './thread-cpu.js';

export const DEFAULT_PY_SPY = join(VENV_DIR, 'bin', 'py-spy');
/**
 * The py-spy version pinned in python/requirements.txt (what `npm install` put in the venv),
 * read once, so the capture cannot name a version the pin has moved away from.
 */
let pinnedVersion: string | undefined;
export function pySpyVersion(): string {
  if (pinnedVersion === undefined) {
    let text = '';
    try {
      text = readFileSync(REQUIREMENTS_FILE, 'utf8');
    } catch {
      // No requirements file beside this build: the version is then simply unknown.
    }
    pinnedVersion = /^py-spy==(\S+)/m.exec(text)?.[1] ?? 'unknown';
  }
  return pinnedVersion;
}
const DEFAULT_OUTPUT_CAP_BYTES = 64 * 1024 * 1024;
/** After the run ends, how long py-spy gets to notice and write its trace (per step, ms). */
const FINISH_GRACE_MS = 3000;
/** Beyond the run's wall limit, how long py-spy may live at most (ms). */
const DEADLINE_GRACE_MS = 10_000;

export interface PySpyObserverOptions {
  /** Samples per second per thread (py-spy --rate). */
  rateHz: number;
  /** Also run a --gil instance (only samples holding the GIL). */
  gil: boolean;
  /** The run's wall limit: py-spy is killed this long + a grace after attaching. */
  wallLimitMs: number;
  pySpyPath?: string;
  outputCapBytes?: number;
  /** How often /proc is read for per-thread CPU time (ms). */
  cpuPollMs?: number;
}

export type PySpyObserver = RunObserver & {
  /** What was collected; rejects with the reason when nothing usable was (after detach). */
  capture(): Promise<SampleCapture>;
};

export function createPySpyObserver(options: PySpyObserverOptions): PySpyObserver {
  const binary = options.pySpyPath ?? DEFAULT_PY_SPY;
  const outputCapBytes = options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  let folder: string | null = null;
  let poller: ThreadCpuPoller | null = null;
  let instances: PySpyProcess[] = [];
  let attachError: Error | null = null;
  /** Sentences for the capture's `errors` from attaching (a --gil instance that failed). */
  const warnings: string[] = [];
  let detaching: Promise<SampleCapture> | null = null;

  const attach = async (learnerHostPid: number): Promise<void> => {
    if (folder !== null || detaching) throw new PySpyError('the sampler is already attached');
    try {
      if (!existsSync(binary)) {
        throw new PySpyError(`py-spy is missing at ${binary} (run \`npm install\`, then \`perflab doctor\`)`);
      }
      // mkdtemp makes the folder 0700: nobody else can read or plant the trace files.
      folder = mkdtempSync(join(tmpdir(), 'perflab-sample-'));
      poller = new ThreadCpuPoller(learnerHostPid, options.cpuPollMs);
      poller.start();
      const deadlineMs = options.wallLimitMs + DEADLINE_GRACE_MS;
      const kinds: ('idle' | 'gil')[] = options.gil ? ['idle', 'gil'] : ['idle'];
      instances = kinds.map(
        (kind) =>
          new PySpyProcess({
            binary,
            pid: learnerHostPid,
            rateHz: options.rateHz,
            kind,
            outputPath: join(folder as string, `${kind}.json`),
            outputCapBytes,
            deadlineMs,
          }),
      );
      // Both start before the program does; only the first is essential: without GIL samples
      // the capture still has every thread's stacks (gilTraceEvents null, and a sentence why).
      const [idle, gil] = await Promise.allSettled(instances.map((instance) => instance.ready));
      if (idle?.status === 'rejected') throw idle.reason;
      if (gil?.status === 'rejected') {
        warnings.push((gil.reason as Error).message);
        instances = instances.slice(0, 1);
      }
    } catch (error) {
      attachError = error instanceof Error ? error : new Error(String(error));
      throw attachError;
    }
  };

  const collect = async (): Promise<SampleCapture> => {
    await Promise.all(instances.map((instance) => instance.finish(FINISH_GRACE_MS)));
    await poller?.stop();
    if (attachError) throw attachError;
    if (instances.length === 0) throw new PySpyError('the sampler was never attached (the run ended first)');
    const [idle, gil] = instances as [PySpyProcess, PySpyProcess | undefined];
    const errors: string[] = [...warnings];
    const traceEvents: TraceEvent[] = repairPySpyTrace(await idle.readEvents());
    let gilTraceEvents: TraceEvent[] | null = null;
    if (gil) {
      gilTraceEvents = await gil.readEvents().then(repairPySpyTrace, (error: Error) => {
        errors.push(error.message);
        return null;
      });
    }
    // py-spy counts a failed read of the program's memory as an error; one or two happen as
    // a process exits. More are worth a sentence.
    const readErrors = idle.reportedErrors();
    if (readErrors > 2) errors.push(`py-spy could not read the program ${readErrors} times while sampling`);
    return {
      tool: { name: 'py-spy', version: pySpyVersion() },
      rateHz: options.rateHz,
      traceEvents,
      gilTraceEvents,
      threadCpu: poller?.readings() ?? [],
      processes: poller?.processList() ?? [],
      durationMs: poller?.elapsedMs ?? 0,
      errors,
    };
  };

  const detach = (): Promise<void> => {
    detaching ??= collect().finally(() => {
      for (const instance of instances) instance.kill();
      if (folder) rmSync(folder, { recursive: true, force: true });
    });
    return detaching.then(
      () => undefined,
      () => undefined,
    );
  };

  return {
    attach,
    detach,
    capture: async () => {
      if (!detaching) throw new PySpyError('the run has not ended yet (capture() comes after detach)');
      return detaching;
    },
  };
}
