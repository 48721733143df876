/**
 * `perflab profile --sample | --timeline | --memray` as a user runs it (npm test builds dist/
 * first): real Python in the real sandbox, real py-spy, VizTracer and memray; the files --out
 * writes open in the tools they are for; flags that do not go together are usage errors (2).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileWriter, scratchDir, spawnPerflab } from './cli.test-support.js';

const scratch = scratchDir('perflab-cli-concurrency');
const write = fileWriter(scratch);

/** Two threads doing CPU work in `crunch` while the main thread waits in join(). */
const threaded = write(
  'threaded.py',
  `import threading


def crunch(n):
    acc = 0
    while n:
        acc ^= n * 31
        n -= 1
    return acc


def keep():
    # Allocated and kept until exit: memray's peak holds it.
    return [bytes(1000) for _ in range(2000)]


kept = keep()
workers = [threading.Thread(target=crunch, args=(1_000_000,), name=f"cruncher-{i}") for i in range(2)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print("done", len(kept))
`,
);

const perflab = (...args: string[]) => spawnPerflab(['profile', threaded, ...args]);

describe('perflab profile --sample', () => {
  it('prints the per-thread table and names the worker function as the hot spot', () => {
    const result = perflab('--sample');
    expect(result.stderr).toMatch(/✓ exited 0/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Sampled profile \(py-spy [\d.]+\) · 100 Hz · [\d,]+ samples/);
    expect(result.stdout).toMatch(/samples\s+sampled\s+on-CPU\s+idle\s+GIL/);
    expect(result.stdout).toMatch(/cruncher-\d/);
    expect(result.stdout).toMatch(
      /Hot spot: crunch \(threaded\.py:\d+\) — [\d,]+ samples on top of the stack in cruncher-/,
    );
    // The lane chart follows the tables (ASCII: the output is not a terminal).
    expect(result.stdout).toMatch(/Timeline \(py-spy, sampled at 100 Hz\)/);
  });
});

describe('perflab profile --timeline', () => {
  it('writes a Chrome trace with traceEvents and draws the lanes', () => {
    const out = join(scratch, 't.trace.json');
    const result = perflab('--timeline', '--out', out);
    expect(result.code).toBe(0);
    const trace = JSON.parse(readFileSync(out, 'utf8')) as { traceEvents: { ph: string; name?: string }[] };
    expect(trace.traceEvents.some((e) => e.ph === 'X' && e.name?.includes('crunch'))).toBe(true);
    expect(result.stdout).toMatch(/Timeline \(VizTracer, every call\)/);
    expect(result.stdout).toMatch(/^cruncher-0\s+\|/m);
    expect(result.stdout).toContain('wrote ' + out);
  });
});

describe('perflab profile --memray', () => {
  it("writes memray's capture file and prints the peak", () => {
    const out = join(scratch, 'm.bin');
    const result = perflab('--memray', '--out', out);
    expect(result.code).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/Memory \(memray [\d.]+\): peak [\d.]+ \w+/);
    expect(result.stdout).toContain('keep');
  });
});

describe('perflab profile: flags that do not go together', () => {
  it.each([
    [['--sample', '--timeline'], /--sample and --timeline cannot be used together/],
    [['--memray', '--lines'], /--lines goes with cProfile, not with --memray/],
    [['--timeline', '--memory'], /--memory goes with cProfile, not with --timeline/],
    [['--rate', '50'], /--rate goes with --sample/],
    [['--native'], /--native goes with --memray/],
    [['--sample', '--rate', '5000'], /--rate must be between 1 and 1000 Hz/],
    [['--memray', '--out', 'x.trace.json'], /with --memray, --out must end in \.bin .*\.json/],
    [['--timeline', '--out', 'x.prof'], /with --timeline, --out must end in \.trace\.json/],
    [['--out', 'x.trace.json'], /cProfile writes no \.trace\.json: add --timeline \(or --sample\)/],
    [['--sample', '--out', 'x.bin'], /with --sample, --out must end in \.trace\.json .*\.speedscope\.json/],
  ])('%j is a usage error (exit 2) that says why', (flags, message) => {
    const result = perflab(...flags);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
