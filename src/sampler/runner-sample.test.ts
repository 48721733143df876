/**
 * `Runner.run({ ..., sample })` end to end in the real bubblewrap sandbox with the real py-spy,
 * and the overhead of sampling (on demand: PERFLAB_MEASURE_SAMPLER=1, it takes minutes).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { mainPyJob, requireBwrap } from '../test-support/sandboxes.js';

const queue = createMemoryQueue({ concurrency: 1 });
const runner = new Runner(requireBwrap(), queue);
afterAll(() => queue.close());

const BURN = `
def burn(seconds):
    import time
    end = time.monotonic() + seconds
    total = 0
    while time.monotonic() < end:
        for i in range(2000):
            total += i * i
    return total

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
      // run's fixed costs (py-spy starting while the learner process waits at the gate).
      const source =
        'import time\n\ndef work():\n    total = 0\n    for i in range(6_000_000):\n        total += i * i\n    return total\n\n' +
        'start = time.perf_counter()\nwork()\nprint((time.perf_counter() - start) * 1000)\n';
      const arms = {
        plain: undefined,
        idle: { rateHz: 100, gil: false },
        'idle+gil': { rateHz: 100, gil: true },
      } as const;
      const walls: Record<string, { runMs: number[]; programMs: number[] }> = {};
      for (let round = 0; round < rounds; round += 1) {
        for (const [arm, sample] of Object.entries(arms)) {
          const report = await runner.run({ ...mainPyJob('run', source), sample });
          expect(report.status).toBe('ok');
          if (sample) expect(report.sampleError).toBeNull();
          const entry = (walls[arm] ??= { runMs: [], programMs: [] });
          entry.runMs.push(report.outcome.wallMs);
          entry.programMs.push(Number(report.outcome.output.map((c) => c.text).join('')));
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
      const base = walls.plain as { runMs: number[]; programMs: number[] };
      for (const [arm, { runMs, programMs }] of Object.entries(walls)) {
        process.stdout.write(
          `${arm}: run wall median ${median(runMs).toFixed(0)} ms (×${(median(runMs) / median(base.runMs)).toFixed(3)}), ` +
            `program wall median ${median(programMs).toFixed(0)} ms (×${(median(programMs) / median(base.programMs)).toFixed(3)})\n`,
        );
      }
    },
    30 * 60_000,
  );
});
