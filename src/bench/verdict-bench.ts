/**
 * `npm run bench:verdicts`: how often the speed verdict is wrong. For two speed-checked
 * exercises, verify a correct-and-fast solution (must pass) and a correct-but-slow one
 * (must fail) N times each, on a quiet machine and with a CPU-bound process competing for
 * every core. Only the speed checks are graded (that is the verdict under test); the time
 * of one full verification of each exercise is measured separately.
 *
 *   node dist/bench/verdict-bench.js [--times N] [--no-write]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import type { Exercise } from '../core/exercise.js';
import { median } from '../core/stats.js';
import { loadExercise } from '../exercises/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { openSession } from '../runner/session.js';
import { verifyExercise } from '../verify/engine.js';

const args = process.argv.slice(2);
const times = Number(args[args.indexOf('--times') + 1] ?? 50) || 50;
const write = !args.includes('--no-write');

const EXERCISES = [
  join(PROJECT_ROOT, 'src', 'verify', 'fixtures', 'pair-count'),
  join(PROJECT_ROOT, 'course', 'exercises', 'word-frequency'),
];

function speedOnly(exercise: Exercise): Exercise {
  return {
    ...exercise,
    meta: { ...exercise.meta, checks: exercise.meta.checks.filter((c) => c.kind === 'speed') },
  };
}

function startLoad(): ChildProcess[] {
  return Array.from({ length: availableParallelism() }, () =>
    spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }),
  );
}

async function main(): Promise<void> {
  const session = openSession({ warmPool: true });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const rows: string[] = [];
  let wrongTotal = 0;
  let verdictTotal = 0;
  const verifyMs: number[] = [];
  const fullVerifyMs: { exercise: string; ms: number }[] = [];
  try {
    for (const dir of EXERCISES) {
      const full = await loadExercise(dir);
      const started = performance.now();
      await verifyExercise(full, full.solution, {
        runner: session.runner,
        runtime: session.runtime,
        gradedLabel: 'solution',
      });
      fullVerifyMs.push({ exercise: full.meta.id, ms: performance.now() - started });
    }
    for (const condition of ['quiet', 'loaded'] as const) {
      const load = condition === 'loaded' ? startLoad() : [];
      try {
        for (const dir of EXERCISES) {
          const exercise = speedOnly(await loadExercise(dir));
          for (const [label, edits, shouldPass] of [
            ['correct and fast', exercise.solution, true],
            ['correct but slow', {}, false],
          ] as const) {
            let wrong = 0;
            const ms: number[] = [];
            for (let i = 0; i < times; i++) {
              const started = performance.now();
              const report = await verifyExercise(exercise, edits, {
                runner: session.runner,
                runtime: session.runtime,
                gradedLabel: label,
              });
              ms.push(performance.now() - started);
              if ((i + 1) % 10 === 0) log(`  ${condition} ${exercise.meta.id} ${label}: ${i + 1}/${times}`);
              if (report.passed !== shouldPass) {
                wrong++;
                log(
                  `  WRONG: ${exercise.meta.id} ${label} (${condition}): ${report.checks.map((c) => c.sentence).join('; ')}`,
                );
              }
            }
            verifyMs.push(...ms);
            wrongTotal += wrong;
            verdictTotal += times;
            log(
              `${condition}: ${exercise.meta.id}, ${label}: ${wrong} wrong of ${times}, median ${(median(ms) / 1000).toFixed(2)} s`,
            );
            rows.push(
              `| ${condition} | ${exercise.meta.id} | ${label} | ${wrong} of ${times} | ${(median(ms) / 1000).toFixed(2)} s |`,
            );
          }
        }
      } finally {
        for (const child of load) child.kill('SIGKILL');
      }
    }
  } finally {
    await session.close();
  }
  const date = new Date().toISOString().slice(0, 10);
  const section = [
    '## Verdict reliability (`npm run bench:verdicts`)',
    '',
    `Measured ${date} on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} CPUs, sandbox ${session.sandbox.name}. ` +
      `Each row verifies the exercise's speed check ${times} times; "loaded" runs one busy-looping process per CPU alongside.`,
    '',
    '| machine | exercise | solution | wrong verdicts | median time per verification |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Wrong verdicts: **${wrongTotal} of ${verdictTotal}** (target 0). Median time per speed verification: ` +
      `**${(median(verifyMs) / 1000).toFixed(2)} s**; one full verification (every check) of the reference solution: ` +
      fullVerifyMs.map((f) => `${f.exercise} ${(f.ms / 1000).toFixed(1)} s`).join(', ') +
      ' (target: under 5 s on 2 CPUs).',
    '',
  ].join('\n');
  console.log(section);
  if (write) {
    const docPath = join(PROJECT_ROOT, 'docs', 'benchmarks.md');
    const existing = readFileSync(docPath, 'utf8');
    const marker = /## Verdict reliability[\s\S]*?(?=\n## |$)/;
    writeFileSync(
      docPath,
      marker.test(existing) ? existing.replace(marker, section) : `${existing.trimEnd()}\n\n${section}`,
    );
  }
}

await main();
