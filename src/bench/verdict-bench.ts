/**
 * `npm run bench:verdicts`: how often the speed verdict is wrong. For two speed-checked
 * exercises, verify a correct-and-fast solution (must pass) and a correct-but-slow one
 * (must fail) N times each, on a quiet machine and with a CPU-bound process competing for
 * every core. Only the speed checks are graded (that is the verdict under test); the time
 * of one full verification of each exercise is measured separately.
 *
 *   node dist/bench/verdict-bench.js [--times N] [--no-write]
 *
 * With --hog: "never fail a learner on noise" where it matters, on a busy machine. A CPU hog
 * (one busy-looping host process per CPU, killed at the end) runs throughout while every
 * exercise of the course is verified in full, reference solution and starter, N times each
 * (--repeats, default 3). Counts wrong verdicts (a reference check that fails, a starter check
 * decided against its declaration: passing one it must fail, or failing one it must pass) and
 * undecided ones, and writes its own section of docs/benchmarks.md.
 *
 *   node dist/bench/verdict-bench.js --hog [--repeats N] [--only ID] [--note TEXT] [--no-write]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Exercise } from '../core/exercise.js';
import { median } from '../core/stats.js';
import { checkStatus } from '../core/verify-report.js';
import { loadCourse } from '../course/load.js';
import { loadExercise } from '../exercises/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { openSession } from '../runner/session.js';
import { verifyExercise } from '../verify/engine.js';

const args = process.argv.slice(2);
const times = Number(args[args.indexOf('--times') + 1] ?? 50) || 50;
const write = !args.includes('--no-write');
const hog = args.includes('--hog');
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const repeats = Number(option('--repeats') ?? 3) || 3;

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

/** Replaces (or appends) the section of docs/benchmarks.md that starts with `heading`. */
function writeSection(heading: string, section: string): void {
  const docPath = join(PROJECT_ROOT, 'docs', 'benchmarks.md');
  const existing = readFileSync(docPath, 'utf8');
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const marker = new RegExp(`${escaped}[\\s\\S]*?(?=\\n## |$)`);
  writeFileSync(
    docPath,
    marker.test(existing) ? existing.replace(marker, section) : `${existing.trimEnd()}\n\n${section}`,
  );
}

interface HogRow {
  exercise: string;
  graded: 'reference' | 'starter';
  /** Checks decided against the declaration, as "check-id: sentence". */
  wrong: string[];
  undecided: string[];
  checks: number;
  ms: number[];
}

async function hogMain(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const course = await loadCourse(join(PROJECT_ROOT, 'course'));
  const only = option('--only');
  const exercises = course.exercises.filter((e) => !only || e.meta.id.includes(only));
  const load = startLoad();
  // Killed however the bench ends: the hog must never outlive it.
  const killLoad = () => {
    for (const child of load) child.kill('SIGKILL');
  };
  process.once('SIGINT', () => {
    killLoad();
    process.exit(130);
  });
  process.once('exit', killLoad);
  const loadBefore = loadavg()[0] ?? 0;
  const started = performance.now();
  const session = openSession({ warmPool: true });
  const rows: HogRow[] = [];
  try {
    for (const exercise of exercises) {
      for (const graded of ['reference', 'starter'] as const) {
        const row: HogRow = {
          exercise: exercise.meta.id,
          graded,
          wrong: [],
          undecided: [],
          checks: 0,
          ms: [],
        };
        for (let i = 0; i < repeats; i++) {
          const t0 = performance.now();
          const report = await verifyExercise(exercise, graded === 'reference' ? exercise.solution : {}, {
            runner: session.runner,
            runtime: session.runtime,
            gradedLabel: graded,
            onProgress: (line, kind) => {
              if (kind === 'waiting') log(`    ${exercise.meta.id} ${graded}: ${line}`);
            },
          });
          row.ms.push(performance.now() - t0);
          for (const check of report.checks) {
            row.checks++;
            const status = checkStatus(check);
            if (status === 'undecided') {
              row.undecided.push(`${check.id}: ${check.sentence}`);
              continue;
            }
            const mustFail = graded === 'starter' && exercise.meta.starterFails.includes(check.id);
            if ((status === 'passed') === mustFail)
              row.wrong.push(`${check.id} ${status}: ${check.sentence}`);
          }
          log(
            `${exercise.meta.id} ${graded} ${i + 1}/${repeats}: ${report.status} in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
              ` (wrong so far ${row.wrong.length}, undecided ${row.undecided.length})`,
          );
        }
        for (const line of [
          ...row.wrong.map((w) => `  WRONG ${w}`),
          ...row.undecided.map((u) => `  undecided ${u}`),
        ])
          log(line);
        rows.push(row);
      }
    }
  } finally {
    killLoad();
    await session.close();
  }
  const totalMs = performance.now() - started;
  const loadAfter = loadavg()[0] ?? 0;
  const sum = (f: (r: HogRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const wrong = sum((r) => r.wrong.length);
  const undecided = sum((r) => r.undecided.length);
  const checks = sum((r) => r.checks);
  const note = option('--note');
  const heading = '## Verdicts under a CPU hog (`npm run bench:verdicts -- --hog`)';
  const section = [
    heading,
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `${availableParallelism()} CPUs, sandbox ${session.sandbox.name}. One busy-looping host process per CPU ran ` +
      `throughout; ${exercises.length} exercises, reference and starter verified in full ${repeats}× each, one verification at a time. ` +
      `Load average (1 min) ${loadBefore.toFixed(1)} before the hog started, ${loadAfter.toFixed(1)} at the end; whole run ${(totalMs / 60_000).toFixed(1)} min.` +
      (note ? ` ${note}` : ''),
    '',
    'A wrong verdict is a check decided against what the exercise declares: a reference check that fails, a starter check ' +
      'that passes although the starter must fail it (or fails one it must pass). Undecided checks are those this machine ' +
      'could not decide even after waiting and measuring again (5 s, then 15 s); they are reported as such (exit status 4), never as failed.',
    '',
    '| exercise | graded | checks | wrong | undecided | median time per verification |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.exercise} | ${r.graded} | ${r.checks} | ${r.wrong.length} | ${r.undecided.length}${r.undecided.length > 0 ? ` (${[...new Set(r.undecided.map((u) => u.split(':')[0]))].join(', ')})` : ''} | ${(median(r.ms) / 1000).toFixed(1)} s |`,
    ),
    '',
    `Wrong verdicts: **${wrong} of ${checks}** checks (target 0); undecided: **${undecided} of ${checks}**, in ` +
      `${rows.filter((r) => r.undecided.length > 0).length} of ${rows.length} exercise × graded rows.`,
    ...(rows.some((r) => r.wrong.length > 0)
      ? [
          '',
          'Wrong verdicts:',
          '',
          ...rows.flatMap((r) => r.wrong.map((w) => `- ${r.exercise} ${r.graded}: ${w}`)),
        ]
      : []),
    '',
  ].join('\n');
  console.log(section);
  if (write) writeSection(heading, section);
}

await (hog ? hogMain() : main());
