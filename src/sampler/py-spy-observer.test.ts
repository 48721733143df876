/**
 * The host-side sampler against real programs in the real sandbox, with the real py-spy: what
 * it sees (threads, processes, kernel CPU per thread, pids across the PID namespace), and that
 * it never costs the run its completion and never outlives it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SampleCapture } from '../core/concurrency/sampled-profile.js';
import type { TraceEvent } from '../core/documents.js';
import { ProcessSandbox } from '../sandbox/process-backend.js';
import type { Sandbox, SandboxOutcome } from '../sandbox/types.js';
import { job, program, requireBwrap, runtime, stdoutOf } from '../test-support/sandboxes.js';
import { createPySpyObserver, type PySpyObserverOptions } from './py-spy-observer.js';
import { BURN_FUNCTION } from './programs.test-support.js';

const bwrap = requireBwrap();
const processBackend = new ProcessSandbox({ runtime });

/** Live processes whose parent is this test process and whose command line names py-spy. */
function ourPySpyProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === process.pid && cmdline.includes('py-spy')) found.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

async function sampledRun(
  sandbox: Sandbox,
  source: string,
  options: Partial<PySpyObserverOptions> & { wallS?: number } = {},
): Promise<{ outcome: SandboxOutcome; capture: SampleCapture | null; captureError: string | null }> {
  const wallS = options.wallS ?? 30;
  const observer = createPySpyObserver({ rateHz: 100, gil: false, wallLimitMs: wallS * 1000, ...options });
  const spec = program(source, { limits: { wallS } });
  const outcome = await sandbox.run({ ...spec, job: job('run', { sampleGate: true }), observer });
  const result = await observer.capture().then(
    (capture) => ({ capture, captureError: null }),
    (error: Error) => ({ capture: null, captureError: error.message }),
  );
  expect(ourPySpyProcesses()).toEqual([]);
  return { outcome, ...result };
}

/** py-spy's chrometrace: per thread (pid, tid), the thread's label and every frame name seen. */
function threadsOf(events: TraceEvent[]): Map<string, { pid: number; label: string; names: Set<string> }> {
  const threads = new Map<string, { pid: number; label: string; names: Set<string> }>();
  for (const event of events) {
    const key = `${String(event.pid)}/${String(event.tid)}`;
    const thread = threads.get(key) ?? { pid: Number(event.pid), label: '', names: new Set<string>() };
    const name = event.name ?? '';
    if (name.startsWith('thread (')) thread.label = name;
    thread.names.add(name);
    threads.set(key, thread);
  }
  return threads;
}

/** (pid/tid) keys whose "E" events do not match their "B" events one to one. */
function unbalanced(events: TraceEvent[]): string[] {
  const depth = new Map<string, number>();
  const bad = new Set<string>();
  for (const event of events) {
    const key = `${String(event.pid)}/${String(event.tid)}`;
    const next = (depth.get(key) ?? 0) + (event.ph === 'B' ? 1 : event.ph === 'E' ? -1 : 0);
    if (next < 0) bad.add(key);
    depth.set(key, next);
  }
  return [...bad];
}

const THREE_BURNERS = `
import threading
${BURN_FUNCTION}
threads = [threading.Thread(target=burn, args=(1.5,), name=f"worker-{i}") for i in range(3)]
for t in threads: t.start()
for t in threads: t.join()
print("done")
`;

function expectThreeBurners(outcome: SandboxOutcome, capture: SampleCapture | null): void {
  expect(stdoutOf(outcome)).toBe('done\n');
  if (!capture) throw new Error('no capture');
  const workers = [...threadsOf(capture.traceEvents).values()].filter(
    (t) => /: worker-\d$/.test(t.label) && t.names.has('burn'),
  );
  expect(workers.map((t) => t.label.replace(/^.*: /, '')).sort()).toEqual([
    'worker-0',
    'worker-1',
    'worker-2',
  ]);
  // py-spy labels a thread "thread (TID): name" with the tid the program sees; the kernel's
  // CPU time of that thread is in threadCpu under the same inner tid.
  for (const worker of workers) {
    const innerTid = Number(/^thread \((\d+)\)/.exec(worker.label)?.[1]);
    const reading = capture.threadCpu.find((r) => r.innerTid === innerTid);
    expect(reading?.cpuMs, worker.label).toBeGreaterThan(0);
  }
}

describe('py-spy observer in the bubblewrap sandbox', () => {
  afterAll(() => expect(ourPySpyProcesses()).toEqual([]));

  it('samples three CPU-bound threads: stacks with burn, kernel CPU per thread', async () => {
    const { outcome, capture, captureError } = await sampledRun(bwrap, THREE_BURNERS);
    expect(captureError).toBeNull();
    expect(outcome.sampleError).toBeNull();
    expectThreeBurners(outcome, capture);
    expect(capture?.tool).toEqual({ name: 'py-spy', version: '0.4.3' });
    expect(capture?.gilTraceEvents).toBeNull();
  });

  it('samples the processes of a multiprocessing pool, and maps host pids to inner ones', async () => {
    const source = `
import os
from multiprocessing import Pool

def square_sum(n):
    return sum(i * i for i in range(n))

if __name__ == "__main__":
    print(os.getpid())
    with Pool(2) as pool:
        print(len(pool.map(square_sum, [600_000] * 8, chunksize=1)))
`;
    const { outcome, capture, captureError } = await sampledRun(bwrap, source, { gil: true });
    expect(captureError).toBeNull();
    if (!capture) throw new Error('no capture');
    const [innerPid, results] = stdoutOf(outcome).trim().split('\n').map(Number);
    expect(results).toBe(8);
    const learner = capture.processes.find((p) => p.parentHostPid === null);
    const workerPids = new Set(
      [...threadsOf(capture.traceEvents).values()].filter((t) => t.names.has('square_sum')).map((t) => t.pid),
    );
    expect(workerPids).not.toContain(learner?.hostPid);
    expect(workerPids.size).toBeGreaterThanOrEqual(2);
    // The learner process: the root of what was sampled, its pid inside the namespace as printed.
    expect(learner?.innerPid).toBe(innerPid);
    expect(learner?.hostPid).not.toBe(innerPid);
    // Its command line is the harness's: the program's argv lives only in sys.argv, not in /proc.
    expect(learner?.command).toContain('python');
    // Begins and ends balance per (pid, tid) (see chrometrace-repair.ts).
    expect(unbalanced(capture.traceEvents)).toEqual([]);
    for (const pid of workerPids) {
      expect(capture.processes.find((p) => p.hostPid === pid)?.parentHostPid).toBe(learner?.hostPid);
    }
    expect(capture.gilTraceEvents?.length).toBeGreaterThan(0);
  });

  it('copes with a program that exits at once', async () => {
    const { outcome, capture, captureError } = await sampledRun(bwrap, 'pass\n');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.sampleError).toBeNull();
    expect(captureError).toBeNull();
    expect(capture?.processes.length).toBeGreaterThanOrEqual(1);
  });

  it('survives a hostile program: kill(-1), a /proc scan, SIGSTOP/SIGCONT of itself', async () => {
    const source = `
import os, signal
os.kill(os.getpid(), signal.SIGCONT)
seen = []
for entry in os.listdir("/proc"):
    if entry.isdigit():
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                seen.append(f.read().replace(b"\\0", b" ").decode(errors="replace"))
        except OSError:
            pass
print("py-spy visible:", any("py-spy" in c for c in seen), flush=True)
try:
    os.kill(-1, signal.SIGKILL)
except OSError as e:
    print("kill(-1):", e.errno, flush=True)
os.kill(os.getpid(), signal.SIGSTOP)
print("continued")
`;
    const { outcome, capture, captureError } = await sampledRun(bwrap, source, { wallS: 4 });
    expect(stdoutOf(outcome)).toContain('py-spy visible: False');
    expect(outcome.limitHit).toBe('timeout');
    expect(captureError).toBeNull();
    expect(capture?.processes.length).toBeGreaterThanOrEqual(1);
  });

  it('runs the program to completion when py-spy is missing, and says why', async () => {
    const { outcome, capture, captureError } = await sampledRun(bwrap, 'print("ran")\n', {
      pySpyPath: '/nonexistent/py-spy',
    });
    expect(stdoutOf(outcome)).toBe('ran\n');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.sampleError).toMatch(/py-spy is missing at \/nonexistent\/py-spy/);
    expect(capture).toBeNull();
    expect(captureError).toMatch(/missing/);
  });

  it('gives no capture, with a sentence, when py-spy writes more than the cap', async () => {
    const { outcome, capture, captureError } = await sampledRun(bwrap, THREE_BURNERS, {
      outputCapBytes: 2048,
    });
    expect(stdoutOf(outcome)).toBe('done\n');
    expect(capture).toBeNull();
    expect(captureError).toMatch(/py-spy \(idle\) wrote more than the 2 KB cap on its output: no capture/);
  });
});

describe('py-spy observer in the process backend', () => {
  it('samples three CPU-bound threads', async () => {
    const { outcome, capture, captureError } = await sampledRun(processBackend, THREE_BURNERS);
    expect(captureError).toBeNull();
    expectThreeBurners(outcome, capture);
    const learner = capture?.processes.find((p) => p.parentHostPid === null);
    expect(learner?.innerPid).toBe(learner?.hostPid);
  });
});
