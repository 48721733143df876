/**
 * The contract every sandbox backend keeps. Runs against each backend available on this
 * machine (in CI bubblewrap is required, see test-support/sandboxes.ts). Programs here are
 * benign: hostile ones run only against the isolated backend (hostile.test.ts).
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { settleCleanups } from './cleanup.js';
import { availableSandboxes, program, stderrOf, stdoutOf } from '../test-support/sandboxes.js';

describe.each(availableSandboxes())('sandbox contract: $name', ({ make }) => {
  const sandbox = make();
  afterAll(() => sandbox.close?.());

  it('runs a program and streams its output with timestamps', async () => {
    const outcome = await sandbox.run(
      program('import sys\nprint("hello")\nprint("oops", file=sys.stderr)\n'),
    );
    expect(outcome.exitCode).toBe(0);
    expect(outcome.limitHit).toBeNull();
    expect(stdoutOf(outcome)).toBe('hello\n');
    expect(stderrOf(outcome)).toBe('oops\n');
    expect(outcome.output.every((c) => c.tMs >= 0 && c.tMs <= outcome.wallMs)).toBe(true);
    expect(outcome.harnessDocument).toMatchObject({ schema: 'perflab.harness/1', mode: 'run', exitCode: 0 });
    expect(outcome.wallMs).toBeGreaterThan(0);
  });

  it('delivers output while the program is still running', async () => {
    const seen: { tMs: number; text: string }[] = [];
    const outcome = await sandbox.run({
      ...program('import time\nprint("first", flush=True)\ntime.sleep(0.6)\nprint("second")\n'),
      onOutput: (chunk) => seen.push(chunk),
    });
    expect(stdoutOf(outcome)).toBe('first\nsecond\n');
    const first = seen.find((c) => c.text.includes('first'));
    const second = seen.find((c) => c.text.includes('second'));
    expect((second?.tMs ?? 0) - (first?.tMs ?? 0)).toBeGreaterThan(400);
  });

  it('reports the exit status of sys.exit and of an uncaught exception', async () => {
    expect((await sandbox.run(program('import sys\nsys.exit(3)\n'))).exitCode).toBe(3);
    const failed = await sandbox.run(program('def f():\n    raise ValueError("bad input")\nf()\n'));
    expect(failed.exitCode).toBe(1);
    expect(stderrOf(failed)).toContain('ValueError: bad input');
    expect(stderrOf(failed)).toContain('line 2, in f');
  });

  it('gives stdin as closed, as text, or as a silent terminal', async () => {
    const reader = 'try:\n    print("got", input())\nexcept EOFError:\n    print("eof")\n';
    expect(stdoutOf(await sandbox.run(program(reader)))).toBe('eof\n');
    expect(
      stdoutOf(await sandbox.run(program(reader, { stdin: { mode: 'text', text: 'forty-two\n' } }))),
    ).toBe('got forty-two\n');
    const waiting = await sandbox.run(
      program(reader, { stdin: { mode: 'terminal' }, limits: { wallS: 1.5 } }),
    );
    expect(waiting.limitHit).toBe('timeout');
    expect(waiting.stacks.length).toBeGreaterThanOrEqual(1);
    expect(waiting.processes.some((p) => p.blockedIn?.includes("the run's stdin"))).toBe(true);
  });

  it('on timeout, captures the stack of every thread of every Python process before killing', async () => {
    const source = [
      'import subprocess, sys, threading, time',
      'threading.Thread(target=time.sleep, args=(60,), name="sleeper", daemon=True).start()',
      '# The child inherits stdin, which stays open and silent, so it never finishes.',
      'child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.readline()"], stdout=subprocess.PIPE)',
      'child.communicate()',
    ].join('\n');
    const outcome = await sandbox.run(program(source, { limits: { wallS: 2 }, stdin: { mode: 'terminal' } }));
    expect(outcome.limitHit).toBe('timeout');
    const parent = outcome.stacks.find((s) => s.argv[0]?.endsWith('main.py'));
    expect(parent?.threads.map((t) => t.name).sort()).toEqual(['MainThread', 'sleeper']);
    const main = parent?.threads.find((t) => t.isMain);
    expect(main?.frames.some((f) => f.function.endsWith('communicate'))).toBe(true);
    expect(outcome.stacks.some((s) => s.argv[0] === '-c')).toBe(true);
  });

  it('stops a run at its wall-time limit even when it ignores SIGTERM', async () => {
    const outcome = await sandbox.run(
      program('import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(60)\n', {
        limits: { wallS: 1 },
      }),
    );
    expect(outcome.limitHit).toBe('timeout');
    expect(outcome.wallMs).toBeLessThan(5000);
  });

  it('stops and flags output beyond the output limit', async () => {
    const outcome = await sandbox.run(
      program('import sys\nwhile True:\n    sys.stdout.write("x" * 4096)\n', { limits: { outputKb: 64 } }),
    );
    expect(outcome.limitHit).toBe('output-limit');
    expect(outcome.outputTruncated).toBe(true);
    expect(outcome.outputBytes).toBe(64 * 1024);
  });

  it('stops a run at its CPU-time limit', async () => {
    const outcome = await sandbox.run(program('while True:\n    pass\n', { limits: { cpuS: 1, wallS: 15 } }));
    expect(outcome.limitHit).toBe('cpu-limit');
    expect(outcome.cpuMs).toBeGreaterThanOrEqual(900);
  });

  it('stops a run at its memory limit', async () => {
    const outcome = await sandbox.run(
      program('blocks = []\nwhile True:\n    blocks.append(bytearray(8 * 1024 * 1024))\n', {
        limits: { memoryMb: 128 },
      }),
    );
    expect(['memory-limit']).toContain(
      outcome.limitHit ??
        ((outcome.harnessDocument as { exception?: { type: string } } | null)?.exception?.type ===
        'MemoryError'
          ? 'memory-limit'
          : null),
    );
  });

  it('stops a run that starts more threads than its task limit', async () => {
    const source =
      'import threading, time\nfor _ in range(500):\n    threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\ntime.sleep(10)\n';
    const outcome = await sandbox.run(program(source, { limits: { tasks: 64 } }));
    const exceptionType = (outcome.harnessDocument as { exception?: { type: string } } | null)?.exception
      ?.type;
    expect(outcome.limitHit === 'process-limit' || exceptionType === 'RuntimeError').toBe(true);
  });

  it('runs threads, asyncio, subprocess and multiprocessing with every start method', async () => {
    const source = `
import asyncio, multiprocessing as mp, subprocess, sys, threading
from concurrent.futures import ThreadPoolExecutor

def square(n):
    return n * n

async def twice(n):
    await asyncio.sleep(0.01)
    return 2 * n

if __name__ == "__main__":
    with ThreadPoolExecutor(8) as pool:
        print("threads", sum(pool.map(square, range(10))))
    async def main():
        return await asyncio.gather(*(twice(i) for i in range(5)))
    print("asyncio", sum(asyncio.run(main())))
    out = subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True, check=True)
    print("subprocess", out.stdout.strip())
    for method in ("fork", "spawn", "forkserver"):
        with mp.get_context(method).Pool(2) as pool:
            print(method, sum(pool.map(square, range(10))))
`;
    const outcome = await sandbox.run(program(source, { limits: { wallS: 30 } }));
    expect(stderrOf(outcome)).toBe('');
    expect(stdoutOf(outcome)).toBe(
      'threads 285\nasyncio 20\nsubprocess 42\nfork 285\nspawn 285\nforkserver 285\n',
    );
    expect(outcome.exitCode).toBe(0);
  });

  it('reports how many CPUs the code can use', async () => {
    const outcome = await sandbox.run(program('import os\nprint(len(os.sched_getaffinity(0)))\n'));
    expect(Number(stdoutOf(outcome))).toBe(
      (outcome.harnessDocument as { cpusAvailable: number }).cpusAvailable,
    );
    expect(outcome.cpusAvailable).toBeGreaterThanOrEqual(1);
  });

  it('gives the program its files in a work dir that holds only them, and removes it afterwards', async () => {
    const outcome = await sandbox.run(
      program('import os\nprint(sorted(os.listdir(".")))\nprint(open("data/values.txt").read())\n', {
        files: [{ path: 'data/values.txt', content: '1 2 3' }],
      }),
    );
    expect(stdoutOf(outcome)).toBe("['data', 'main.py']\n1 2 3\n");
    expect(outcome.stagingDir).toContain('perflab-runs');
    await settleCleanups();
    expect(existsSync(outcome.stagingDir)).toBe(false);
  });

  it('builds the environment from scratch', async () => {
    process.env.PERFLAB_TEST_HOST_SECRET = 'do-not-leak';
    const outcome = await sandbox.run(
      program('import os\nprint(sorted(os.environ))\nprint(os.environ.get("PERFLAB_TEST_HOST_SECRET"))\n'),
    );
    delete process.env.PERFLAB_TEST_HOST_SECRET;
    expect(stdoutOf(outcome)).not.toContain('do-not-leak');
    expect(stdoutOf(outcome)).toContain('None');
  });

  it('kills the run when cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const outcome = await sandbox.run(
      program('import time\ntime.sleep(30)\n', { signal: controller.signal }),
    );
    expect(outcome.cancelled).toBe(true);
    expect(outcome.wallMs).toBeLessThan(5000);
  });
});
