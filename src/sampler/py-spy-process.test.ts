/**
 * py-spy under its limits, against benign Python programs on the host (hostile ones run only in
 * the sandbox: py-spy-observer.test.ts), and reading its output defensively.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runtime } from '../test-support/sandboxes.js';
import { DEFAULT_PY_SPY } from './py-spy-observer.js';
import { PySpyProcess, readTraceFile } from './py-spy-process.js';

const folder = mkdtempSync(join(tmpdir(), 'perflab-pyspy-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

describe('readTraceFile', () => {
  it('reads py-spy’s bare array and the object form', async () => {
    const event = { ph: 'B', name: 'burn', pid: 1, tid: 2, ts: 0 };
    expect(await readTraceFile(file('a.json', JSON.stringify([event])), 1024, 'py-spy')).toEqual([event]);
    expect(
      await readTraceFile(file('o.json', JSON.stringify({ traceEvents: [event] })), 1024, 'py-spy'),
    ).toEqual([event]);
  });

  it('turns every kind of bad output into a sentence', async () => {
    await expect(
      readTraceFile(join(folder, 'none.json'), 1024, 'py-spy (idle)', () => 'it crashed'),
    ).rejects.toThrow('py-spy (idle) wrote no output: it crashed');
    await expect(
      readTraceFile(file('big.json', `[${' '.repeat(4096)}]`), 2048, 'py-spy (idle)'),
    ).rejects.toThrow('py-spy (idle) wrote more than the 2 KB cap on its output: no capture');
    await expect(readTraceFile(file('cut.json', '[{"ph": "B", "na'), 1024, 'py-spy (gil)')).rejects.toThrow(
      /^py-spy \(gil\) wrote output that is not JSON/,
    );
    for (const content of ['{"a": 1}', '[{"name": "no ph"}]', 'null', '[1, 2]']) {
      await expect(readTraceFile(file('odd.json', content), 1024, 'py-spy')).rejects.toThrow(
        /^py-spy wrote an unexpected trace/,
      );
    }
  });
});

describe('PySpyProcess', () => {
  const python = join(runtime.venvDir, 'bin', 'python');

  it('runs under its limits, and is killed at its deadline', async () => {
    const sleeper = spawn(python, ['-c', 'import time\nwhile True:\n    time.sleep(0.01)\n'], {
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const spy = new PySpyProcess({
        binary: DEFAULT_PY_SPY,
        pid: sleeper.pid as number,
        rateHz: 50,
        kind: 'idle',
        outputPath: join(folder, 'deadline.json'),
        outputCapBytes: 1024 * 1024,
        deadlineMs: 2500,
      });
      await spy.ready;
      const limits = readFileSync(`/proc/${spy.pid}/limits`, 'utf8');
      expect(limits).toMatch(/Max address space\s+1073741824\s+1073741824/);
      expect(limits).toMatch(/Max file size\s+1048577\s+1048577/);
      expect(limits).toMatch(/Max cpu time\s+4\s+4/);
      const startedMs = performance.now();
      expect(await spy.ended).toEqual({ code: null, signal: 'SIGKILL' });
      expect(performance.now() - startedMs).toBeLessThan(6000);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('says why when it cannot sample (no such process)', async () => {
    const spy = new PySpyProcess({
      binary: DEFAULT_PY_SPY,
      pid: 2 ** 22 + 1,
      rateHz: 50,
      kind: 'gil',
      outputPath: join(folder, 'gone.json'),
      outputCapBytes: 1024,
      deadlineMs: 10_000,
    });
    await expect(spy.ready).rejects.toThrow(/^py-spy \(gil\) ended before sampling \(exit status 1: .+/);
    await spy.finish(1000);
  });
});
