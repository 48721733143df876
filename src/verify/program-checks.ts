/**
 * Program-level checks (hang, race, memory-peak, memory-streaming, tests-of-tests): each is
 * one or more sandbox runs of the learner's whole program, measured by the host and decided
 * here. Function-level checks live in engine.ts (they go to the grader).
 *
 * Nothing a verdict rests on can be written by learner code or predicted by it:
 * - Outputs are compared with the reference solution's output on the same hidden data,
 *   generated afresh per verification (seed and size vary), never with a fixed text a
 *   program could memorise and print once it notices it is being checked.
 * - Memory figures are floored by the kernel's measurement of the run (see measuredPeakKb).
 * - Tests-of-tests runs the learner's tests on several correct implementations written
 *   differently, so a test that recognises one file passes no check; its evidence holds
 *   labels and the learner's own test names, never a hidden file's source or a diff.
 * - The runs get the environment of an ordinary `perflab run`; the only thing a check
 *   changes is what it must (a race check's switch interval, which the start-up hook applies
 *   and then removes from the environment).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AuthoredCheck, Exercise } from '../core/exercise.js';
import type { CheckResult } from '../core/verify-report.js';
import { shortPath } from '../core/names.js';
import type { PythonRuntime } from '../core/runtime.js';
import type { AnyJobReport, Runner } from '../runner/runner.js';
import type { JobFile, StdinSpec } from '../sandbox/types.js';

/** What a program-level check needs of the verification (VerifyOptions fits). */
export interface ProgramCheckOptions {
  runner: Runner;
  runtime: PythonRuntime;
  /** The verification's seed: hidden inputs are derived from it. */
  seed?: number;
}

/** One line of a failed memory check's evidence: where the Python heap was at its peak. */
export interface AllocationSiteEvidence {
  where: string;
  /** MiB, one decimal, like the check's own peakMb. */
  sizeMb: number;
  blocks: number;
  source: string;
}

const ALLOCATION_SITES_SHOWN = 5;
const TRACEMALLOC_SLOWDOWN = 3;

/**
 * Where the memory was allocated when the program's Python heap peaked, from one more run
 * under tracemalloc: a failed memory check then says which lines to look at, not only a
 * number. Only on failure, since tracemalloc slows allocation-heavy programs two- to
 * threefold. Null when that run fails (tracemalloc's own overhead can cross a limit the
 * plain run stayed under).
 */
async function allocationSitesAtPeak(
  runner: Runner,
  spec: { files: JobFile[]; entry: string; argv: string[]; limits: Exercise['meta']['limits'] },
): Promise<AllocationSiteEvidence[] | null> {
  // tracemalloc slows allocation-heavy programs two- to threefold (more on a busy machine):
  // three times the exercise's time limits, so the evidence is not lost to a timeout.
  const wallS = Math.min(900, (spec.limits.wallS ?? 10) * TRACEMALLOC_SLOWDOWN);
  const cpuS = Math.min(1800, (spec.limits.cpuS ?? 30) * TRACEMALLOC_SLOWDOWN);
  const report = await runner.run({
    mode: 'memory',
    ...spec,
    limits: { ...spec.limits, wallS, cpuS },
    modeOptions: { memory: { topSites: ALLOCATION_SITES_SHOWN, topTypes: 0 } },
  });
  if (report.status !== 'ok' || !report.document) return null;
  return report.document.peakSites.map((site) => ({
    where: `${shortPath(site.file)}:${site.line}`,
    sizeMb: Math.round((site.sizeBytes / 1024 / 1024) * 10) / 10,
    blocks: site.count,
    source: site.source,
  }));
}

/** "; at the peak, the most was allocated at search.py:7 (41.2 MB: `lines = f.readlines()`)", or nothing. */
function sitesClause(sites: AllocationSiteEvidence[] | null): string {
  const top = sites?.[0];
  if (!top) return '';
  const source = top.source ? `: \`${top.source}\`` : '';
  return `; at the peak, the most was allocated at ${top.where} (${top.sizeMb.toFixed(1)} MB${source})`;
}

/** A hidden input: the file the program reads, generated for this verification only. */
interface Dataset {
  seed: number;
  file: JobFile | null;
  /** The check's args with `{path}` replaced by the data file's name. */
  argv: string[];
}

/** The check's `{path}` placeholders filled in with the name of the hidden data file. */
function fillArgs(args: string[], dataFile: string): string[] {
  return args.map((arg) => arg.replaceAll('{path}', dataFile));
}

/** The learner's files with `data` added, replacing a starter file of the same name. */
function withData(files: JobFile[], data: JobFile | null): JobFile[] {
  return data ? files.filter((f) => f.path !== data.path).concat(data) : files;
}

/** The same tree with the reference solution's versions of the editable files. */
function referenceFiles(exercise: Exercise, files: JobFile[]): JobFile[] {
  return files.map((f) =>
    exercise.meta.edit.includes(f.path) && exercise.solution[f.path] !== undefined
      ? { path: f.path, content: exercise.solution[f.path] as string }
      : f,
  );
}

/**
 * Seeds of one check's hidden data: from the verification's seed (fixed by --seed, else fresh
 * per verification) and the check's id, so two checks never share an input.
 */
function seedsFor(check: AuthoredCheck, options: ProgramCheckOptions, count: number): number[] {
  const base = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  let salt = 0;
  for (const ch of check.id) salt = (salt * 31 + ch.charCodeAt(0)) % 1_000_003;
  return Array.from({ length: count }, (_, i) => (base + salt * 7919 + i * 104_729) % 2 ** 31);
}

const execFileAsync = promisify(execFile);

/**
 * Runs the exercise's data generator (trusted author code from tests/, on the host, outside
 * the sandbox) and returns the file it wrote, named `name`. The generator gets a
 * `random.Random` seeded with `seed`, and for memory-streaming the scale: `f(path, rng)` or
 * `f(path, scale, rng)`.
 */
async function generateData(
  exercise: Exercise,
  spec: string,
  name: string,
  seed: number,
  runtime: PythonRuntime,
  scale?: number,
): Promise<JobFile> {
  const [file, fn] = spec.split(':') as [string, string];
  const dir = await mkdtemp(join(tmpdir(), 'perflab-data-'));
  try {
    const out = join(dir, 'data');
    const script = [
      'import random, runpy, sys',
      'ns = runpy.run_path(sys.argv[1])',
      'rng = random.Random(int(sys.argv[4]))',
      'if sys.argv[5] == "-":',
      '    ns[sys.argv[2]](sys.argv[3], rng)',
      'else:',
      '    ns[sys.argv[2]](sys.argv[3], float(sys.argv[5]), rng)',
    ].join('\n');
    const generator = join(exercise.dir, file);
    try {
      await execFileAsync(join(runtime.venvDir, 'bin', 'python'), [
        '-c',
        script,
        generator,
        fn,
        out,
        String(seed),
        scale === undefined ? '-' : String(scale),
      ]);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(`data generator ${spec} failed: ${stderr}`, { cause: error });
    }
    return { path: name, content: await readFile(out) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function datasetsFor(
  check: AuthoredCheck & { data?: string; dataFile: string; datasets: number; args: string[] },
  exercise: Exercise,
  options: ProgramCheckOptions,
): Promise<Dataset[]> {
  const argv = fillArgs(check.args, check.dataFile);
  const spec = check.data;
  if (spec === undefined) return [{ seed: 0, file: null, argv }];
  return Promise.all(
    seedsFor(check, options, check.datasets).map(async (seed) => ({
      seed,
      file: await generateData(exercise, spec, check.dataFile, seed, options.runtime),
      argv,
    })),
  );
}

/** What the reference solution prints on this input, or why it could not say. */
type ReferenceOutput = { stdout: string } | { error: string };

/**
 * The expected output: the reference solution run in the sandbox on the same files and
 * arguments, with the interpreter's default switch interval and no time pressure.
 */
async function referenceOutput(
  runner: Runner,
  exercise: Exercise,
  spec: { files: JobFile[]; entry: string; argv: string[]; stdin?: StdinSpec },
): Promise<ReferenceOutput> {
  const report = await runner.run({
    mode: 'run',
    files: referenceFiles(exercise, spec.files),
    entry: spec.entry,
    argv: spec.argv,
    stdin: spec.stdin ?? { mode: 'closed' },
    limits: exercise.meta.limits,
  });
  if (report.status !== 'ok')
    return {
      error: `the reference solution failed on this hidden input (an exercise bug): ${report.message}`,
    };
  return { stdout: stdoutOf(report) };
}

function sizeOf(file: JobFile): number {
  return typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.byteLength;
}

/** The two figures of a run's peak memory, in KiB. */
export interface PeakFigures {
  /** What the harness wrote in its document: getrusage of the program's processes. */
  reportedKb: number | null;
  /** What the kernel measured for the whole run, less the bytes of the staged files. */
  kernelKb: number;
}

/**
 * A run's peak memory, on two sources:
 * - the harness document's selfMaxRssKb/childrenMaxRssKb: the program's own largest
 *   process, which leaves out the staged files; but the document is written in a process
 *   learner code can reach (it can replace the function that fills those fields in);
 * - the sandbox's kernel measurement (report.outcome.peakMemoryKb: the run's cgroup
 *   high-water mark, or the host's sampling of /proc where there is no cgroup), which no
 *   code inside the sandbox can write. It counts the run's anonymous memory and the staged
 *   files in the private tmpfs (subtracted here: their size is known exactly), but not
 *   file pages already cached and charged elsewhere (the interpreter's shared libraries),
 *   which RSS includes. Measured on the course (bubblewrap, cgroup v1): within 1–7 MB of an
 *   honest document, below it (leaky-cache reference 48.6 MB reported / 49.2 MB kernel,
 *   starter 161 / 163; whole-file-log-search starter at 10× 55.7 / 54.8; log-analytics
 *   reference 27.5 / 20.9). So the kernel's figure is a floor an honest program never feels,
 *   and a forged document (the issue's "19.5 MB" for a run the cgroup saw at ~315 MB) cannot
 *   go below it.
 */
export function peakFigures(report: AnyJobReport, files: JobFile[]): PeakFigures {
  const doc = report.document;
  const stagedKb = files.reduce((sum, f) => sum + sizeOf(f), 0) / 1024;
  return {
    reportedKb: doc ? Math.max(doc.selfMaxRssKb, doc.childrenMaxRssKb) : null,
    kernelKb: Math.max(0, report.outcome.peakMemoryKb - stagedKb),
  };
}

/**
 * The peak a memory-peak verdict rests on: the document's figure, floored by the kernel's.
 * A document that claims less than the kernel saw is not believed; one that claims more
 * only hurts the learner.
 */
export function verdictPeakMb(figures: PeakFigures): number {
  return Math.max(figures.reportedKb ?? 0, figures.kernelKb) / 1024;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function stdoutOf(report: AnyJobReport): string {
  return report.outcome.output
    .filter((c) => c.stream === 'stdout')
    .map((c) => c.text)
    .join('');
}

function stderrOf(report: AnyJobReport): string {
  return report.outcome.output
    .filter((c) => c.stream === 'stderr')
    .map((c) => c.text)
    .join('');
}

function tail(text: string, chars = 600): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

/** "printed "…", expected "…" (the reference solution's output on the same hidden input)". */
function mismatch(stdout: string, expected: string, hidden: boolean): string {
  return (
    `printed ${JSON.stringify(tail(stdout, 120))}, expected ${JSON.stringify(tail(expected, 120))} ` +
    `(the reference solution's output on the same ${hidden ? 'hidden ' : ''}input)`
  );
}

/**
 * The learner's test files, as the evidence may mention them: by name, by the names of the
 * functions and classes they define, and by their line count. pytest's output is written
 * inside the run, where learner code can print anything (a hidden file's source encoded in
 * a fake test name, say), so only what matches these facts, fixed before the run, is shown.
 */
interface OwnTests {
  files: Map<string, { lines: number; names: Set<string> }>;
}

function ownTestsOf(files: JobFile[], testFiles: string[]): OwnTests {
  const map = new Map<string, { lines: number; names: Set<string> }>();
  for (const path of testFiles) {
    const file = files.find((f) => f.path === path);
    const source = typeof file?.content === 'string' ? file.content : '';
    const names = new Set(
      [...source.matchAll(/^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/gm)].map((m) => m[1] as string),
    );
    map.set(path, { lines: source.split('\n').length, names });
  }
  return { files: map };
}

const SHOWN_PER_RUN = 10;

/** "test_retry.py:42: in test_x" lines of pytest's tracebacks that point into the learner's own files. */
function ownTestLocations(output: string, own: OwnTests): string[] {
  const found = new Set<string>();
  for (const line of output.split('\n')) {
    // The location and the function only; a message after it could quote a hidden file.
    const m = /^\s*(?:\/work\/)?([\w./-]+):(\d+): in ([A-Za-z_]\w*)\s*$/.exec(line);
    const file = m && own.files.get(m[1] as string);
    if (!m || !file) continue;
    if (Number(m[2]) > file.lines || !file.names.has(m[3] as string)) continue;
    found.add(`${m[1]}:${m[2]}: in ${m[3]}`);
  }
  return [...found].slice(0, SHOWN_PER_RUN);
}

/** Names of the learner's tests that failed, from pytest's "FAILED file::[Class::]name" lines. */
function failedTestNames(output: string, own: OwnTests): string[] {
  const names = new Set<string>();
  for (const line of output.split('\n')) {
    const m = /^FAILED ([\w./-]+)::((?:[A-Za-z_]\w*::)?([A-Za-z_]\w*))(?:\[|\s|$)/.exec(line);
    const file = m && own.files.get(m[1] as string);
    // Parametrised ids ("[0.25]") are left out: they are text the run chose.
    if (m && file?.names.has(m[3] as string)) names.add(`${m[1]}::${m[2]}`);
  }
  return [...names].slice(0, SHOWN_PER_RUN);
}

export async function programCheck(
  check: AuthoredCheck,
  exercise: Exercise,
  files: JobFile[],
  options: ProgramCheckOptions,
): Promise<CheckResult> {
  const { runner } = options;
  const title = check.title ?? check.id;
  const result = (
    passed: boolean,
    sentence: string,
    evidence: Record<string, unknown> = {},
  ): CheckResult => ({ id: check.id, kind: check.kind, title, passed, sentence, evidence });
  switch (check.kind) {
    case 'hang': {
      const stdin: StdinSpec =
        check.stdin === 'closed'
          ? { mode: 'closed' }
          : check.stdin === 'terminal'
            ? { mode: 'terminal' }
            : { mode: 'text', text: check.stdin.text };
      const datasets = await datasetsFor(check, exercise, options);
      const hidden = check.data !== undefined;
      const runs = await Promise.all(
        datasets.map(async (data) => {
          const runFiles = withData(files, data.file);
          const [report, expected] = await Promise.all([
            runner.run({
              mode: 'run',
              files: runFiles,
              entry: check.entry,
              argv: data.argv,
              stdin,
              limits: { ...exercise.meta.limits, wallS: check.withinS },
            }),
            check.output === 'reference'
              ? referenceOutput(runner, exercise, {
                  files: runFiles,
                  entry: check.entry,
                  argv: data.argv,
                  stdin,
                })
              : Promise.resolve(null),
          ]);
          return { report, expected };
        }),
      );
      let slowestMs = 0;
      for (const { report, expected } of runs) {
        const stdout = stdoutOf(report);
        const evidence = {
          wallMs: report.outcome.wallMs,
          exitCode: report.exitCode,
          stdout: tail(stdout),
          stderr: tail(stderrOf(report)),
          stuck: report.hang?.lines ?? [],
          ...(hidden && { hiddenInputs: runs.length }),
        };
        if (report.limitHit === 'timeout') {
          return result(
            false,
            `did not finish within ${check.withinS} s; ${report.hang?.lines[0] ?? 'no stacks were captured'}`,
            evidence,
          );
        }
        if (report.status !== 'ok') return result(false, report.message, evidence);
        if (expected && 'error' in expected) return result(false, expected.error, evidence);
        if (expected && stdout !== expected.stdout) {
          return result(
            false,
            `finished in ${(report.outcome.wallMs / 1000).toFixed(2)} s but ${mismatch(stdout, expected.stdout, hidden)}`,
            { ...evidence, expectedStdout: tail(expected.stdout) },
          );
        }
        slowestMs = Math.max(slowestMs, report.outcome.wallMs);
      }
      const last = runs[runs.length - 1]?.report;
      return result(
        true,
        `finished in ${(slowestMs / 1000).toFixed(2)} s (limit ${check.withinS} s)` +
          (check.output === 'reference'
            ? ` with the reference solution's output${hidden ? ` on ${runs.length === 1 ? 'a hidden input' : `${runs.length} hidden inputs`}` : ''}`
            : ''),
        {
          wallMs: slowestMs,
          exitCode: last?.exitCode ?? null,
          stdout: tail(last ? stdoutOf(last) : ''),
          ...(hidden && { hiddenInputs: runs.length }),
        },
      );
    }
    case 'race': {
      const datasets = await datasetsFor(check, exercise, options);
      const perDataset = Math.ceil(check.repeat / datasets.length);
      const timeoutS = exercise.meta.limits.wallS ?? 20;
      const sets = await Promise.all(
        datasets.map(async (data) => {
          const runFiles = withData(files, data.file);
          const [expected, report] = await Promise.all([
            referenceOutput(runner, exercise, { files: runFiles, entry: check.entry, argv: data.argv }),
            runner.run({
              mode: 'repeat',
              files: runFiles,
              entry: check.entry,
              argv: data.argv,
              // What the check must change: how often CPython may switch threads. The
              // start-up hook applies it and removes the variable before the program starts.
              env: { PERFLAB_SWITCH_INTERVAL_S: String(check.switchIntervalS) },
              modeOptions: { repeat: { times: perDataset, timeoutS } },
              limits: {
                ...exercise.meta.limits,
                wallS: Math.min(900, timeoutS * perDataset + 10),
              },
            }),
          ]);
          return { expected, report };
        }),
      );
      const total = perDataset * sets.length;
      let good = 0;
      // One flat list (what `perflab verify` prints), each outcome marked with its input.
      const outcomes = sets.flatMap(({ expected, report }, i) => {
        const want = 'stdout' in expected ? expected.stdout : null;
        return (report.document?.outcomes ?? []).map((o) => {
          const right = o.exitCode === 0 && o.stdout === want;
          if (right) good += o.count;
          return {
            input: i + 1,
            count: o.count,
            exitCode: o.exitCode,
            stdout: tail(o.stdout, 200),
            expected: right,
          };
        });
      });
      const evidence = {
        outcomes,
        // The reference solution's output for each hidden input: fresh inputs every
        // verification, so showing it teaches nothing a later verification could reuse.
        expectedStdout: sets.map(({ expected }) =>
          'stdout' in expected ? tail(expected.stdout, 200) : null,
        ),
        switchIntervalS: check.switchIntervalS,
        runs: total,
      };
      const referenceError = sets.map((s) => s.expected).find((e) => 'error' in e);
      if (referenceError && 'error' in referenceError) return result(false, referenceError.error, evidence);
      const missing = sets.find((s) => !s.report.document);
      if (missing) return result(false, missing.report.message, evidence);
      const passed = good === total;
      const distinct = outcomes.filter((o) => !o.expected).length;
      return result(
        passed,
        passed
          ? `all ${total} runs on ${sets.length} hidden input${sets.length === 1 ? '' : 's'} printed the reference solution's result under a ${check.switchIntervalS} s switch interval`
          : `${total - good} of ${total} runs on ${sets.length} hidden input${sets.length === 1 ? '' : 's'} printed something other than the reference solution's result (${distinct} distinct wrong outcome${distinct === 1 ? '' : 's'}): the result depends on how the threads are scheduled`,
        evidence,
      );
    }
    case 'memory-peak': {
      const datasets = await datasetsFor(check, exercise, options);
      const hidden = check.data !== undefined;
      const runs = await Promise.all(
        datasets.map(async (data) => {
          const runFiles = withData(files, data.file);
          const spec = { files: runFiles, entry: check.entry, argv: data.argv };
          const [report, expected] = await Promise.all([
            runner.run({ mode: 'run', ...spec, limits: exercise.meta.limits }),
            check.output === 'reference' ? referenceOutput(runner, exercise, spec) : Promise.resolve(null),
          ]);
          return { spec, report, expected, figures: peakFigures(report, runFiles) };
        }),
      );
      // The run with the highest peak decides (and is the one to explain if it is too high).
      const worst = runs.reduce((a, b) => (verdictPeakMb(b.figures) > verdictPeakMb(a.figures) ? b : a));
      const peakMb = round1(verdictPeakMb(worst.figures));
      const figures = {
        peakMb,
        reportedByProgramMb:
          worst.figures.reportedKb === null ? null : round1(worst.figures.reportedKb / 1024),
        measuredByKernelMb: round1(worst.figures.kernelKb / 1024),
      };
      for (const { report, expected } of runs) {
        if (report.status !== 'ok') return result(false, report.message, figures);
        if (expected && 'error' in expected) return result(false, expected.error, figures);
        const stdout = stdoutOf(report);
        if (expected && stdout !== expected.stdout)
          return result(false, `the program ${mismatch(stdout, expected.stdout, hidden)}`, {
            ...figures,
            stdout: tail(stdout),
            expectedStdout: tail(expected.stdout),
          });
      }
      const sentence = `peak memory ${peakMb.toFixed(1)} MB (allowed ${check.maxMb} MB)`;
      if (peakMb <= check.maxMb) return result(true, sentence, { ...figures, maxMb: check.maxMb });
      const sites = await allocationSitesAtPeak(runner, { ...worst.spec, limits: exercise.meta.limits });
      return result(false, sentence + sitesClause(sites), {
        ...figures,
        maxMb: check.maxMb,
        ...(sites && { allocationSitesAtPeak: sites }),
      });
    }
    case 'memory-streaming': {
      const [seed = 0] = seedsFor(check, options, 1);
      const runs = await Promise.all(
        check.scales.map(async (scale) => {
          const data = await generateData(exercise, check.data, 'input.data', seed, options.runtime, scale);
          const spec = {
            files: [...files, data],
            entry: check.entry,
            argv: [check.arg.replace('{path}', data.path)],
          };
          const [report, expected] = await Promise.all([
            runner.run({ mode: 'run', ...spec, limits: exercise.meta.limits }),
            check.output === 'reference' ? referenceOutput(runner, exercise, spec) : Promise.resolve(null),
          ]);
          return { scale, spec, report, expected, figures: peakFigures(report, spec.files) };
        }),
      );
      for (const { scale, report, expected } of runs) {
        if (report.status !== 'ok') return result(false, `at ${scale}× input: ${report.message}`);
        if (expected && 'error' in expected) return result(false, expected.error);
        const stdout = stdoutOf(report);
        if (expected && stdout !== expected.stdout)
          return result(false, `at ${scale}× input, the program ${mismatch(stdout, expected.stdout, true)}`, {
            stdout: tail(stdout),
            expectedStdout: tail(expected.stdout),
          });
      }
      const [small, large] = runs as [(typeof runs)[number], (typeof runs)[number]];
      // Growth on each source; the steeper one decides. A program can write the document's
      // figures (an inflated small-input figure flattens the ratio, so flooring each figure
      // is not enough here); nothing inside the run can change the kernel's. For honest
      // programs the two agree closely (log-analytics reference 1.12× / 1.16×, starter
      // 3.44× / 3.59×; whole-file-log-search starter 3.59× / 3.69×).
      const kernelGrowth = large.figures.kernelKb / Math.max(1, small.figures.kernelKb);
      const reportedGrowth =
        small.figures.reportedKb && large.figures.reportedKb
          ? large.figures.reportedKb / small.figures.reportedKb
          : 0;
      const growth = Math.max(kernelGrowth, reportedGrowth);
      const fromKernel = kernelGrowth >= reportedGrowth;
      const mb = (r: (typeof runs)[number]) =>
        ((fromKernel ? r.figures.kernelKb : (r.figures.reportedKb ?? 0)) / 1024).toFixed(1);
      const peaks = runs.map((r) => round1(verdictPeakMb(r.figures)));
      const evidence = {
        peaksMb: peaks,
        reportedByProgramMb: runs.map((r) =>
          r.figures.reportedKb === null ? null : round1(r.figures.reportedKb / 1024),
        ),
        measuredByKernelMb: runs.map((r) => round1(r.figures.kernelKb / 1024)),
        growth: Math.round(growth * 100) / 100,
      };
      const sentence = `peak memory ${mb(small)} MB at ${check.scales[0]}× input and ${mb(large)} MB at ${check.scales[1]}× (${growth.toFixed(2)}×; allowed ${check.maxGrowth}×)`;
      if (growth <= check.maxGrowth) return result(true, sentence, evidence);
      const sites = await allocationSitesAtPeak(runner, { ...large.spec, limits: exercise.meta.limits });
      return result(false, sentence + sitesClause(sites), {
        ...evidence,
        ...(sites && { allocationSitesAtPeak: sites }),
      });
    }
    case 'tests-of-tests': {
      const reference =
        exercise.solution[check.implementation] ?? exercise.starter[check.implementation] ?? '';
      const under = (folder: string) => {
        const prefix = folder.replace(/^tests\//, '').replace(/\/?$/, '/');
        return Object.entries(exercise.tests)
          .filter(([path]) => path.startsWith(prefix) && path.endsWith('.py'))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([path, source]) => ({ name: path.slice(prefix.length).replace(/\.py$/, ''), source }));
      };
      const correct = [{ source: reference }, ...under(check.correct)].map((impl, i) => ({
        label: i === 0 ? `the reference ${check.implementation}` : `correct version ${i + 1}`,
        source: impl.source,
      }));
      const mutants = under(check.mutants).map((m) => ({ label: `mutant ${m.name}`, source: m.source }));
      // The learner's own runner when the exercise has one that runs exactly these tests would
      // be nicer, but it may print anything; this one is plain pytest, and its name says
      // nothing more than run_tests.py does.
      const runnerFile = {
        path: 'run_pytest.py',
        content: `import sys\nimport pytest\nsys.exit(pytest.main([${check.tests.map((t) => JSON.stringify(t)).join(', ')}, "-q", "-p", "no:cacheprovider", "--no-header", "--tb=short", "-rf"]))\n`,
      };
      const own = ownTestsOf(files, check.tests);
      const runTests = async (impl: { label: string; source: string }) => {
        const variant = files
          .filter((f) => f.path !== check.implementation && f.path !== runnerFile.path)
          .concat({ path: check.implementation, content: impl.source }, runnerFile);
        const report = await runner.run({
          mode: 'run',
          files: variant,
          entry: runnerFile.path,
          limits: { ...exercise.meta.limits, wallS: exercise.meta.limits.wallS ?? 60 },
        });
        const output = report.outcome.output.map((c) => c.text).join('');
        return {
          label: impl.label,
          exitCode: report.exitCode,
          passedTests: report.exitCode === 0,
          failedTests: failedTestNames(output, own),
          output,
        };
      };
      const [correctRuns, mutantRuns] = await Promise.all([
        Promise.all(correct.map(runTests)),
        Promise.all(mutants.map(runTests)),
      ]);
      const noTests = [...correctRuns, ...mutantRuns].some((o) => o.exitCode === 5);
      const wronglyFailed = correctRuns.filter((o) => !o.passedTests);
      const missed = mutantRuns.filter((m) => m.passedTests);
      const passed = wronglyFailed.length === 0 && missed.length === 0 && !noTests;
      // Evidence: labels and verdicts; for a correct version the tests failed on, the failed
      // test names and where in the learner's own files they failed (never a message, which
      // could quote the hidden file). For mutants: caught or missed, and the names of the
      // learner's tests that caught them.
      const evidence = {
        correct: correctRuns.map((o) => ({
          label: o.label,
          passed: o.passedTests,
          ...(!o.passedTests && {
            failedTests: o.failedTests,
            where: ownTestLocations(o.output, own),
          }),
        })),
        mutants: mutantRuns.map((o) => ({
          label: o.label,
          caught: !o.passedTests,
          ...(!o.passedTests && { failedTests: o.failedTests }),
        })),
      };
      let sentence: string;
      if (noTests) sentence = 'pytest collected no tests from your test files';
      else if (wronglyFailed.length > 0)
        sentence = `your tests fail on ${wronglyFailed.length} of ${correctRuns.length} correct implementations (${wronglyFailed.map((o) => o.label).join(', ')}): they must accept any correct ${check.implementation}, not one particular file`;
      else if (missed.length > 0)
        sentence = `your tests pass on all ${correctRuns.length} correct implementations but also on ${missed.length} of ${mutantRuns.length} broken versions (${missed.map((m) => m.label).join(', ')})`;
      else
        sentence = `your tests pass on all ${correctRuns.length} correct implementations and catch all ${mutantRuns.length} broken versions`;
      return result(passed, sentence, evidence);
    }
    default:
      return result(false, `check kind ${check.kind} is not a program-level check`);
  }
}
