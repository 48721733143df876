/**
 * `npm run bench:concurrency` (also the last step of `npm run bench`): what each profiler of a
 * whole program costs. On the course's four concurrency exercises, starter and reference
 * solution, the same program runs unprofiled, sampled by py-spy, traced by VizTracer and traced
 * by memray, through the real Runner and sandbox and runConcurrencyProfile, exactly as
 * `perflab profile --sample|--timeline|--memray` runs it. Rounds are interleaved (each round
 * runs every program in every mode, the order of modes rotated), and each profiled run is
 * divided by the unprofiled run of the same round, so load on the machine hits both sides.
 *
 * Two ratios per mode: end to end (the caller's wait: sandbox, the run, the sampler's or
 * tracer's output read and turned into the views) and the program's own wall time as the
 * sandbox measured it (how much the profiler slowed the program down).
 *
 * Options: --rounds N (default 5, at least 5 for the docs), --only TEXT (exercise ids
 * containing it), --no-write (print only; otherwise the section in docs/benchmarks.md is replaced).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exerciseEntry, learnerTree } from '../core/exercise-workspace.js';
import { median } from '../core/stats.js';
import { loadExercise } from '../exercises/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { runConcurrencyProfile, DEFAULT_SAMPLE_RATE_HZ } from '../runner/concurrency-profile.js';
import type { ProfiledProgram } from '../runner/profile-pipeline.js';
import type { AnyJobReport, Runner } from '../runner/runner.js';
import { openSession } from '../runner/session.js';

const EXERCISES = ['threads-for-cpu', 'blocking-in-async', 'lost-worker-results', 'import-pipeline'];
/** sample-no-gil: `--sample --no-gil`, one py-spy instead of two, to show what the GIL pass costs. */
const MODES = ['plain', 'sample', 'sample-no-gil', 'timeline', 'memray'] as const;
type Mode = (typeof MODES)[number];
const TARGETS: Partial<Record<Mode, number>> = { sample: 1.1, 'sample-no-gil': 1.1, timeline: 1.5 };

interface Program {
  label: string;
  request: ProfiledProgram;
}

interface Measurement {
  endToEndMs: number;
  programWallMs: number;
  ok: boolean;
  note: string;
}

async function programs(only: string | undefined): Promise<Program[]> {
  const found: Program[] = [];
  for (const id of EXERCISES.filter((e) => !only || e.includes(only))) {
    const exercise = await loadExercise(join(PROJECT_ROOT, 'course', 'exercises', id));
    for (const [variant, edits] of [
      ['starter', {}],
      ['solution', exercise.solution],
    ] as const) {
      found.push({
        label: `${id} ${variant}`,
        request: {
          files: learnerTree(exercise, edits),
          entry: exerciseEntry(exercise),
          limits: exercise.meta.limits,
          onOutput: () => {},
        },
      });
    }
  }
  return found;
}

/** One run in one mode, timed by the host around the whole call. */
async function measure(runner: Runner, program: Program, mode: Mode): Promise<Measurement> {
  const started = performance.now();
  let report: AnyJobReport;
  let note = '';
  if (mode === 'plain') {
    report = await runner.run({ ...program.request, mode: 'run' });
  } else {
    // The CLI's defaults: py-spy at 100 Hz with the GIL pass, memray without native frames.
    const result = await runConcurrencyProfile(
      runner,
      program.request,
      mode === 'sample-no-gil' ? 'sample' : mode,
      { rateHz: DEFAULT_SAMPLE_RATE_HZ, gil: mode !== 'sample-no-gil', nativeTraces: false },
    );
    report = result.report;
    if (!result.sampled && !result.timeline && !result.memray) note = result.message;
  }
  const endToEndMs = performance.now() - started;
  if (report.status !== 'ok') note = report.message;
  return { endToEndMs, programWallMs: report.outcome.wallMs, ok: note === '', note };
}

const ratio = (x: number) => `${x.toFixed(2)}×`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      only: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  const session = openSession();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const list = await programs(values.only);
  // results[program][mode] = one measurement per round.
  const results = list.map(() => new Map<Mode, Measurement[]>(MODES.map((m) => [m, []])));
  const failures: string[] = [];
  try {
    log(`warm-up: each program once, unprofiled`);
    for (const program of list) await measure(session.runner, program, 'plain');
    for (let round = 0; round < rounds; round++) {
      for (const [i, program] of list.entries()) {
        // Rotate which mode goes first, so no mode always runs on a machine just warmed up.
        const order = MODES.map((_, k) => MODES[(k + round + i) % MODES.length] as Mode);
        for (const mode of order) {
          const m = await measure(session.runner, program, mode);
          results[i]?.get(mode)?.push(m);
          if (!m.ok) failures.push(`${program.label}, ${mode}, round ${round + 1}: ${m.note}`);
        }
        log(`round ${round + 1}/${rounds}: ${program.label} done`);
      }
    }
  } finally {
    await session.close();
  }

  // Per program and mode: the median of the per-round ratios to that round's unprofiled run.
  const pairedRatio = (i: number, mode: Mode, key: 'endToEndMs' | 'programWallMs'): number => {
    const plain = results[i]?.get('plain') ?? [];
    const profiled = results[i]?.get(mode) ?? [];
    return median(profiled.map((m, r) => m[key] / (plain[r]?.[key] ?? Number.NaN)));
  };
  const medianMs = (i: number, mode: Mode, key: 'endToEndMs' | 'programWallMs') =>
    median((results[i]?.get(mode) ?? []).map((m) => m[key]));
  // The time a profiler adds, in ms: a fixed cost (attaching, reading the output) shows as the
  // same added time on short and long programs; a slowed-down program as a growing one.
  const addedMs = (i: number, mode: Mode): number => {
    const plain = results[i]?.get('plain') ?? [];
    return median(
      (results[i]?.get(mode) ?? []).map((m, r) => m.endToEndMs - (plain[r]?.endToEndMs ?? Number.NaN)),
    );
  };
  const rows = list.map((program, i) => {
    const cells = MODES.slice(1).map((mode) => {
      const added = addedMs(i, mode);
      return (
        `${ratio(pairedRatio(i, mode, 'endToEndMs'))} (${ratio(pairedRatio(i, mode, 'programWallMs'))}), ` +
        `${added >= 0 ? '+' : '−'}${Math.abs(added).toFixed(0)} ms`
      );
    });
    const plain = `${(medianMs(i, 'plain', 'endToEndMs') / 1000).toFixed(2)} s (${(medianMs(i, 'plain', 'programWallMs') / 1000).toFixed(2)} s)`;
    return `| ${program.label} | ${plain} | ${cells.join(' | ')} |`;
  });
  const overall = MODES.slice(1).map((mode) => {
    const e2e = median(list.map((_, i) => pairedRatio(i, mode, 'endToEndMs')));
    const wall = median(list.map((_, i) => pairedRatio(i, mode, 'programWallMs')));
    const target = TARGETS[mode];
    const verdict = target ? ` — target ≤ ${target}×: ${e2e <= target ? 'met' : 'missed'}` : '';
    return `**${ratio(e2e)} (${ratio(wall)})**${verdict}`;
  });
  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpuModel}, ${availableParallelism()} CPUs available, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}, Python ${session.runtime.version}, sandbox ${session.sandbox.name}`;
  const table = [
    '| program | unprofiled: end to end (program wall) | --sample (py-spy, 100 Hz, GIL) | --sample --no-gil | --timeline (VizTracer) | --memray |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| **median over the programs** | | ${overall.join(' | ')} |`,
  ].join('\n');
  const section =
    `## Overhead of the concurrency profilers (\`npm run bench:concurrency\`)\n\n` +
    `Measured ${date} on ${machine}; ${rounds} interleaved rounds, every program in every mode per round.\n\n` +
    `Each cell: the median over the rounds of (profiled ÷ the same round's unprofiled run), end to end as ` +
    `\`perflab profile\` waits for it; in brackets the same ratio of the program's own wall time as the sandbox ` +
    `measured it; then the median time the profiler added end to end.\n\n` +
    `${table}\n` +
    (failures.length > 0
      ? `\nRuns that did not end cleanly:\n${failures.map((f) => `- ${f}`).join('\n')}\n`
      : '');
  console.log(`\n${section}`);
  if (values['no-write']) return;
  const docPath = join(PROJECT_ROOT, 'docs', 'benchmarks.md');
  const existing = readFileSync(docPath, 'utf8');
  // Only the measured part is replaced; notes under their own heading stay.
  const marker =
    /## Overhead of the concurrency profilers \(`npm run bench:concurrency`\)[\s\S]*?(?=\n## |$)/;
  writeFileSync(
    docPath,
    marker.test(existing) ? existing.replace(marker, section) : `${existing.trimEnd()}\n\n${section}`,
  );
}

await main();
