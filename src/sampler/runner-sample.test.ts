/**
 * `Runner.run({ ..., sample })` end to end in the real bubblewrap sandbox with the real py-spy,
 * and the overhead of sampling (on demand: PERFLAB_MEASURE_SAMPLER=1, it takes minutes).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import type { RunObserver } from '../sandbox/types.js';
import { job, mainPyJob, program, requireBwrap, stdoutOf } from '../test-support/sandboxes.js';
import { createPySpyObserver } from './py-spy-observer.js';
import { BURN_FUNCTION } from './programs.test-support.js';

const queue = createMemoryQueue({ concurrency: 1 });
const sandbox = requireBwrap();
const runner = new Runner(sandbox, queue);
afterAll(() => queue.close());

const BURN = `${BURN_FUNCTION}
burn(SECONDS)
print("done")
`;

describe('Runner.run with sample', () => {
  it('fills report.sample with what py-spy and /proc saw, GIL samples included', async () => {
    const report = await runner.run({
      ...mainPyJob('run', BURN.replace('SECONDS', '1')),
      sample: { rateHz: 100, gil: true },
    });
    expect(report.status).toBe('ok');
    expect(report.sampleError).toBeNull();
    const sample = report.sample;
    if (!sample) throw new Error('no capture');
    expect(sample.rateHz).toBe(100);
    expect(sample.traceEvents.some((e) => e.name === 'burn')).toBe(true);
    expect(sample.gilTraceEvents?.some((e) => e.name === 'burn')).toBe(true);
    const main = sample.threadCpu.find((r) => r.hostPid === sample.processes[0]?.hostPid);
    // A shared machine gives the program a fraction of a CPU: wide margin.
    expect(main?.cpuMs).toBeGreaterThan(50);
    expect(sample.durationMs).toBeGreaterThan(900);
  });

  it('changes nothing without sample', async () => {
    const report = await runner.run(mainPyJob('run', 'print("plain")\n'));
    expect(report.status).toBe('ok');
    expect(report.sample).toBeUndefined();
    expect(report.sampleError).toBeUndefined();
    expect(report.outcome.sampleError).toBeUndefined();
  });

  it('runs the program to completion when py-spy is missing, and says why', async () => {
    const missing = new Runner(runner.sandbox, queue, { pySpyPath: '/nonexistent/py-spy' });
    const report = await missing.run({
      ...mainPyJob('run', 'print("ran")\n'),
      sample: { rateHz: 100, gil: false },
    });
    expect(report.status).toBe('ok');
    expect(report.sample).toBeNull();
    expect(report.sampleError).toMatch(/py-spy is missing at \/nonexistent\/py-spy/);
  });
});

describe.runIf(process.env.PERFLAB_MEASURE_SAMPLER)('sampling overhead (measurement)', () => {
  it(
    'wall of a CPU-bound single-thread program, unsampled vs sampled, interleaved',
    async () => {
      const rounds = Number(process.env.PERFLAB_MEASURE_ROUNDS ?? 12);
      // The program times its own work: the sampler's cost on the program, apart from the
      // run's fixed costs (py-spy starting while the learner process waits at the gate, and
      // noticing the exit afterwards), which attachMs and detachMs show.
      const source =
        'import time\n\ndef work():\n    total = 0\n    for i in range(6_000_000):\n        total += i * i\n    return total\n\n' +
        'start = time.perf_counter()\nwork()\nprint((time.perf_counter() - start) * 1000)\n';
      const arms = { plain: null, idle: false, 'idle+gil': true } as const;
      const figures: Record<string, Record<'runMs' | 'programMs' | 'attachMs' | 'detachMs', number[]>> = {};
      for (let round = 0; round < rounds; round += 1) {
        for (const [arm, gil] of Object.entries(arms)) {
          const entry = (figures[arm] ??= { runMs: [], programMs: [], attachMs: [], detachMs: [] });
          let observer: RunObserver | undefined;
          if (gil !== null) {
            const inner = createPySpyObserver({ rateHz: 100, gil, wallLimitMs: 60_000 });
            observer = {
              attach: async (pid) => {
                const t0 = performance.now();
                await inner.attach(pid);
                entry.attachMs.push(performance.now() - t0);
              },
              detach: async () => {
                const t0 = performance.now();
                await inner.detach();
                entry.detachMs.push(performance.now() - t0);
              },
            };
          }
          const spec = program(source, { limits: { wallS: 60 } });
          const outcome = await sandbox.run({
            ...spec,
            job: job('run', { sampleGate: observer !== undefined }),
            observer,
          });
          expect(outcome.exitCode).toBe(0);
          entry.runMs.push(outcome.wallMs + (entry.detachMs.at(-1) ?? 0));
          entry.programMs.push(Number(stdoutOf(outcome)));
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
      const base = figures.plain as Record<string, number[]>;
      for (const [arm, f] of Object.entries(figures)) {
        const ratio = (name: 'runMs' | 'programMs') =>
          (median(f[name]) / median(base[name] ?? [])).toFixed(3);
        process.stdout.write(
          `${arm}: run ${median(f.runMs).toFixed(0)} ms (×${ratio('runMs')}), program ${median(f.programMs).toFixed(0)} ms (×${ratio('programMs')}), ` +
            `attach ${median(f.attachMs).toFixed(0)} ms, detach ${median(f.detachMs).toFixed(0)} ms (medians of ${rounds})\n`,
        );
      }
    },
    30 * 60_000,
  );
});
