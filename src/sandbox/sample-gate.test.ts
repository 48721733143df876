/**
 * The sample gate in both backends, with a recording observer instead of py-spy: the learner
 * process is stopped when attach is called, is always continued (attach failing or hanging
 * included), and detach is called exactly once by every way a run ends.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { availableSandboxes, job, program, stdoutOf } from '../test-support/sandboxes.js';
import type { RunObserver, SandboxRunSpec } from './types.js';

class RecordingObserver implements RunObserver {
  attachedPid: number | null = null;
  /** Kernel state of the learner process when attach was called (T: stopped). */
  stateAtAttach: string | null = null;
  detachCalls = 0;

  constructor(private readonly behaviour: 'ok' | 'throw' | 'hang' = 'ok') {}

  attach(learnerHostPid: number): Promise<void> {
    this.attachedPid = learnerHostPid;
    const stat = readFileSync(`/proc/${learnerHostPid}/stat`, 'utf8');
    this.stateAtAttach = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
    if (this.behaviour === 'throw') return Promise.reject(new Error('no sampler today'));
    if (this.behaviour === 'hang') return new Promise(() => undefined);
    return Promise.resolve();
  }

  detach(): Promise<void> {
    this.detachCalls += 1;
    return Promise.resolve();
  }
}

function gated(spec: SandboxRunSpec, observer: RunObserver | undefined): SandboxRunSpec {
  return { ...spec, job: job('run', { sampleGate: true }), observer };
}

for (const { name, make } of availableSandboxes().filter((s) => !s.name.includes('pool'))) {
  describe(`sample gate: ${name}`, () => {
    const sandbox = make();

    it('attaches while the learner process is stopped at the gate, then continues it', async () => {
      const observer = new RecordingObserver();
      const outcome = await sandbox.run(gated(program('import os\nprint(os.getpid())\n'), observer));
      expect(outcome.exitCode).toBe(0);
      expect(outcome.sampleError).toBeNull();
      expect(observer.stateAtAttach).toBe('T');
      expect(observer.attachedPid).toBeGreaterThan(0);
      // Without isolation the pid the program prints is the host pid the observer got.
      if (!outcome.isolated) expect(Number(stdoutOf(outcome))).toBe(observer.attachedPid);
      expect(observer.detachCalls).toBe(1);
    });

    it('continues the program when attach fails, and says why', async () => {
      const observer = new RecordingObserver('throw');
      const outcome = await sandbox.run(gated(program('print("ran")\n'), observer));
      expect(stdoutOf(outcome)).toBe('ran\n');
      expect(outcome.sampleError).toBe('sampling did not start: no sampler today');
      expect(observer.detachCalls).toBe(1);
    });

    it('continues the program when attach never finishes', async () => {
      const observer = new RecordingObserver('hang');
      const outcome = await sandbox.run(gated(program('print("ran")\n'), observer));
      expect(stdoutOf(outcome)).toBe('ran\n');
      expect(outcome.sampleError).toMatch(/attaching the sampler took longer than 5 s/);
      expect(observer.detachCalls).toBe(1);
    });

    it('continues the program with a gate and no observer', async () => {
      const outcome = await sandbox.run(gated(program('print("ran")\n'), undefined));
      expect(stdoutOf(outcome)).toBe('ran\n');
      expect(outcome.sampleError).toBeNull();
    });

    it('detaches once when a limit kills the run, and when it is cancelled', async () => {
      const limited = new RecordingObserver();
      const outcome = await sandbox.run(
        gated(program('import time\ntime.sleep(60)\n', { limits: { wallS: 2 } }), limited),
      );
      expect(outcome.limitHit).toBe('timeout');
      expect(limited.detachCalls).toBe(1);

      const cancelled = new RecordingObserver();
      const controller = new AbortController();
      const run = sandbox.run(
        gated(program('import time\ntime.sleep(60)\n', { signal: controller.signal }), cancelled),
      );
      setTimeout(() => controller.abort(), 1000);
      expect((await run).cancelled).toBe(true);
      expect(cancelled.detachCalls).toBe(1);
    });

    it('detaches once when the run cannot start', async () => {
      const observer = new RecordingObserver();
      const spec = program('print("never")\n', { files: [{ path: '../outside.py', content: '' }] });
      await expect(sandbox.run(gated(spec, observer))).rejects.toThrow();
      expect(observer.attachedPid).toBeNull();
      expect(observer.detachCalls).toBe(1);
    });
  });
}
