/**
 * `npm run bench`: the foundation's performance targets, each measured as a ratio against
 * a baseline taken in the same run, interleaved, so machine noise hits both sides alike.
 * Writes docs/benchmarks.md (machine and date included) and prints the same table.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { quantile, median } from '../core/stats.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { openSession } from '../runner/session.js';
import { resolveLimits } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/types.js';
import { WarmPool, type LaunchableSandbox } from '../sandbox/pool.js';

function timeProcess(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

const HELLO = 'print("hello")\n';
const BUSY_50MS =
  'import time\nend = time.process_time() + 0.05\nwhile time.process_time() < end:\n    pass\n';

function spec(source: string) {
  return {
    files: [{ path: 'main.py', content: source }],
    job: {
      schema: 'perflab.job/1' as const,
      mode: 'run' as const,
      entry: 'main.py',
      argv: [],
      rlimits: {
        nproc: 256,
        fileSizeBytes: 1 << 26,
        openFiles: 1024,
        cpuSeconds: 60,
        addressSpaceBytes: null,
      },
      dropPrivileges: null,
    },
    stdin: { mode: 'closed' as const },
    limits: resolveLimits(),
  };
}

async function timeSandboxRun(sandbox: Sandbox, source: string): Promise<number> {
  const started = performance.now();
  const outcome = await sandbox.run(spec(source));
  if (outcome.exitCode !== 0) throw new Error(`sandboxed run failed: ${JSON.stringify(outcome.output)}`);
  return performance.now() - started;
}

interface Row {
  name: string;
  measured: string;
  target: string;
  met: boolean;
}

async function main(): Promise<void> {
  const session = openSession();
  const python = join(session.runtime.venvDir, 'bin', 'python');
  const work = mkdtempSync(join(tmpdir(), 'perflab-bench-'));
  const hello = join(work, 'hello.py');
  writeFileSync(hello, HELLO);
  const rows: Row[] = [];
  const log = (line: string) => process.stderr.write(`${line}\n`);

  // 1. Run latency: sandboxed hello world vs a bare spawn of the same interpreter, paired and
  // interleaved (alternating which side goes first), cold and from a warm pool.
  const pairs = 40;
  const pool = new WarmPool(session.sandbox as LaunchableSandbox, { size: 2 });
  const latency = async (label: string, sandbox: Sandbox, pauseMs: number) => {
    log(`latency (${label}): ${pairs} interleaved pairs of hello world vs the bare interpreter`);
    for (let i = 0; i < 3; i++) {
      await timeSandboxRun(sandbox, HELLO);
      await timeProcess(python, [hello]);
    }
    const ratios: number[] = [];
    const sandboxMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < pairs; i++) {
      // A pooled sandbox is replaced in the background; the pause stands for the seconds
      // between two clicks on Run, so each run finds a ready sandbox as it would in use.
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const sandboxFirst = i % 2 === 0;
      const first = sandboxFirst ? await timeSandboxRun(sandbox, HELLO) : await timeProcess(python, [hello]);
      const second = sandboxFirst ? await timeProcess(python, [hello]) : await timeSandboxRun(sandbox, HELLO);
      const [s, bare] = sandboxFirst ? [first, second] : [second, first];
      sandboxMs.push(s);
      bareMs.push(bare);
      ratios.push(s / bare);
    }
    return {
      ratio: median(ratios),
      p90: quantile(ratios, 0.9),
      sandboxMs: median(sandboxMs),
      bareMs: median(bareMs),
    };
  };
  const cold = await latency('cold start', session.sandbox, 0);
  rows.push({
    name: 'Run latency, hello world, cold sandbox ÷ bare interpreter (median of paired ratios)',
    measured: `${cold.ratio.toFixed(2)}× (p90 ${cold.p90.toFixed(2)}×; sandbox ${cold.sandboxMs.toFixed(1)} ms, bare ${cold.bareMs.toFixed(1)} ms)`,
    target: '≤ 1.25×',
    met: cold.ratio <= 1.25,
  });
  const warm = await latency('warm pool', pool, 150);
  await pool.close();
  rows.push({
    name: 'Run latency, hello world, warm-pool sandbox ÷ bare interpreter (median of paired ratios)',
    measured: `${warm.ratio.toFixed(2)}× (p90 ${warm.p90.toFixed(2)}×; sandbox ${warm.sandboxMs.toFixed(1)} ms, bare ${warm.bareMs.toFixed(1)} ms)`,
    target: 'stretch: ≤ 0.5×',
    met: warm.ratio <= 0.5,
  });

  // 2. Throughput at concurrency = CPUs for a 50 ms CPU-bound program.
  const cpuCount = availableParallelism();
  const jobs = 40;
  log(`throughput: ${jobs} runs of a 50 ms CPU-bound program at concurrency ${cpuCount}`);
  const single: number[] = [];
  for (let i = 0; i < 8; i++) single.push(await timeSandboxRun(session.sandbox, BUSY_50MS));
  const singleMs = median(single);
  const started = performance.now();
  await Promise.all(
    Array.from(
      { length: jobs },
      () =>
        session.queue.submit(async () => {
          const outcome = await session.sandbox.run(spec(BUSY_50MS));
          if (outcome.exitCode !== 0) throw new Error('throughput run failed');
        }).result,
    ),
  );
  const elapsedMs = performance.now() - started;
  const idealMs = (jobs / cpuCount) * singleMs;
  const efficiency = idealMs / elapsedMs;
  rows.push({
    name: `Throughput, ${jobs} × 50 ms CPU-bound runs at concurrency ${cpuCount} (ideal ÷ actual)`,
    measured: `${(efficiency * 100).toFixed(0)}% (${elapsedMs.toFixed(0)} ms vs ideal ${idealMs.toFixed(0)} ms; one run alone ${singleMs.toFixed(0)} ms)`,
    target: '≥ 90% of ideal',
    met: efficiency >= 0.9,
  });
  await session.close();

  // 3. `perflab profile` vs `python -m cProfile -o` on the same script, paired.
  const script = join(PROJECT_ROOT, 'examples', 'word_frequency.py');
  const bin = join(PROJECT_ROOT, 'bin', 'perflab.js');
  const profilePairs = 8;
  log(
    `profile: ${profilePairs} interleaved pairs of perflab profile vs python -m cProfile -o on examples/word_frequency.py`,
  );
  const profileRatios: number[] = [];
  const perflabMs: number[] = [];
  const cprofileMs: number[] = [];
  await timeProcess(process.execPath, [bin, 'profile', script, '--json']);
  for (let i = 0; i < profilePairs; i++) {
    const p = await timeProcess(process.execPath, [bin, 'profile', script, '--json']);
    const c = await timeProcess(python, ['-m', 'cProfile', '-o', join(work, 'out.prof'), script]);
    perflabMs.push(p);
    cprofileMs.push(c);
    profileRatios.push(p / c);
  }
  const profileMedian = median(profileRatios);
  rows.push({
    name: '`perflab profile` ÷ `python -m cProfile -o`, word-frequency example (median of paired ratios)',
    measured: `${profileMedian.toFixed(2)}× (perflab ${median(perflabMs).toFixed(0)} ms, cProfile ${median(cprofileMs).toFixed(0)} ms)`,
    target: '≤ 1.2×',
    met: profileMedian <= 1.2,
  });
  rmSync(work, { recursive: true, force: true });

  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpuModel}, ${cpuCount} CPUs available, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}, Python ${session.runtime.version}, sandbox ${session.sandbox.name}`;
  const table = [
    '| benchmark | measured | target | met |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.measured} | ${r.target} | ${r.met ? 'yes' : 'no'} |`),
  ].join('\n');
  const section = `## Foundation (\`npm run bench\`)\n\nMeasured ${date} on ${machine}.\n\n${table}\n`;
  const docPath = join(PROJECT_ROOT, 'docs', 'benchmarks.md');
  let existing: string;
  try {
    existing = readFileSync(docPath, 'utf8');
  } catch {
    existing =
      '# Benchmarks\n\nEvery figure here comes from `npm run bench` (or the named script) on the machine stated.\nRatios are measured side by side in one run, interleaved.\n\n';
  }
  const marker = /## Foundation \(`npm run bench`\)[\s\S]*?(?=\n## |$)/;
  const updated = marker.test(existing)
    ? existing.replace(marker, section)
    : `${existing.trimEnd()}\n\n${section}`;
  writeFileSync(docPath, updated);
  console.log(`\n${section}`);
}

await main();
