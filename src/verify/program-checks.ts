/**
 * Program-level checks (hang, race, memory-peak, memory-streaming, tests-of-tests): each is
 * one or more sandbox runs of the learner's whole program, measured by the host and decided
 * by the pure deciders of core/checks (one module per kind). Function-level checks go to the
 * grader (engine.ts). Hidden data: hidden-data.ts; pytest's output: pytest-output.ts.
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
import { decideHang } from '../core/checks/hang.js';
import {
  withAllocationSites,
  type MemoryRun,
  type MemoryVerdict,
  type PeakFigures,
} from '../core/checks/memory.js';
import { decideMemoryPeak } from '../core/checks/memory-peak.js';
import { decideMemoryStreaming } from '../core/checks/memory-streaming.js';
import type { ReferenceOutput } from '../core/checks/program-output.js';
import { decideRace, runsPerInput } from '../core/checks/race.js';
import { unmeasured } from '../core/checks/function-level.js';
import { decideTestsOfTests, type TestsRun } from '../core/checks/tests-of-tests.js';
import type { AuthoredCheck, Exercise } from '../core/exercise.js';
import { shortPath } from '../core/names.js';
import type { AllocationSiteEvidence, CheckResult } from '../core/verify-report.js';
import type { AnyJobReport, Runner } from '../runner/runner.js';
import type { JobFile, StdinSpec } from '../sandbox/types.js';
import {
  datasetsFor,
  generateData,
  referenceFiles,
  seedsFor,
  withData,
  type HiddenDataOptions,
} from './hidden-data.js';
import { failedTestNames, ownTestLocations, ownTestsOf } from './pytest-output.js';

export { verdictPeakMb, type PeakFigures } from '../core/checks/memory.js';

/** What a program-level check needs of the verification (VerifyOptions fits). */
export interface ProgramCheckOptions extends HiddenDataOptions {
  runner: Runner;
}

/** One line of a failed memory check's evidence: where the Python heap was at its peak. */
export type { AllocationSiteEvidence };

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
 *   and a forged document (the "19.5 MB" for a run the cgroup saw at ~315 MB) cannot
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

type RunSpec = { files: JobFile[]; entry: string; argv: string[] };
type Limits = Exercise['meta']['limits'];

/** The run's failure (the runner's sentence) or null, its stdout, and the reference's output. */
function programRun(report: AnyJobReport, expected: ReferenceOutput | null) {
  return { failure: report.status === 'ok' ? null : report.message, stdout: stdoutOf(report), expected };
}

/** The reference's output on the same input when the check compares outputs, else null. */
function expectedOutput(
  check: { output: 'reference' | 'any' },
  runner: Runner,
  exercise: Exercise,
  spec: RunSpec & { stdin?: StdinSpec },
): Promise<ReferenceOutput | null> {
  return check.output === 'reference' ? referenceOutput(runner, exercise, spec) : Promise.resolve(null);
}

/** A memory check's run and the reference's, with the peak figures the verdict rests on. */
async function memoryRun(
  runner: Runner,
  exercise: Exercise,
  check: { output: 'reference' | 'any' },
  spec: RunSpec,
) {
  const [report, expected] = await Promise.all([
    runner.run({ mode: 'run', ...spec, limits: exercise.meta.limits }),
    expectedOutput(check, runner, exercise, spec),
  ]);
  return { spec, run: { ...programRun(report, expected), figures: peakFigures(report, spec.files) } };
}

/**
 * A memory check decided on its runs, with the allocation sites of the run the verdict names
 * when it failed on memory (one more run, under tracemalloc).
 */
async function memoryVerdict<R extends CheckResult>(
  runner: Runner,
  limits: Limits,
  runs: { spec: RunSpec; run: MemoryRun }[],
  decide: (runs: MemoryRun[]) => MemoryVerdict<R>,
): Promise<R> {
  const verdict = decide(runs.map((r) => r.run));
  const spec = verdict.explain === null ? undefined : runs[verdict.explain]?.spec;
  if (!spec) return verdict.result;
  return withAllocationSites(verdict.result, await allocationSitesAtPeak(runner, { ...spec, limits }));
}

export async function programCheck(
  check: AuthoredCheck,
  exercise: Exercise,
  files: JobFile[],
  options: ProgramCheckOptions,
): Promise<CheckResult> {
  const { runner } = options;
  const { limits } = exercise.meta;
  switch (check.kind) {
    case 'hang': {
      const stdin: StdinSpec =
        check.stdin === 'closed'
          ? { mode: 'closed' }
          : check.stdin === 'terminal'
            ? { mode: 'terminal' }
            : { mode: 'text', text: check.stdin.text };
      const datasets = await datasetsFor(check, exercise, options);
      const runs = await Promise.all(
        datasets.map(async (data) => {
          const spec = { files: withData(files, data.file), entry: check.entry, argv: data.argv, stdin };
          const [report, expected] = await Promise.all([
            runner.run({ mode: 'run', ...spec, limits: { ...limits, wallS: check.withinS } }),
            expectedOutput(check, runner, exercise, spec),
          ]);
          return {
            ...programRun(report, expected),
            timedOut: report.limitHit === 'timeout',
            wallMs: report.outcome.wallMs,
            exitCode: report.exitCode,
            stderr: stderrOf(report),
            stuck: report.hang?.lines ?? [],
          };
        }),
      );
      return decideHang(check, runs);
    }
    case 'race': {
      const datasets = await datasetsFor(check, exercise, options);
      const perInput = runsPerInput(check, datasets.length);
      const timeoutS = limits.wallS ?? 20;
      const inputs = await Promise.all(
        datasets.map(async (data) => {
          const spec = { files: withData(files, data.file), entry: check.entry, argv: data.argv };
          const [expected, report] = await Promise.all([
            referenceOutput(runner, exercise, spec),
            runner.run({
              mode: 'repeat',
              ...spec,
              // What the check must change: how often CPython may switch threads. The
              // start-up hook applies it and removes the variable before the program starts.
              env: { PERFLAB_SWITCH_INTERVAL_S: String(check.switchIntervalS) },
              modeOptions: { repeat: { times: perInput, timeoutS } },
              limits: { ...limits, wallS: Math.min(900, timeoutS * perInput + 10) },
            }),
          ]);
          return { expected, outcomes: report.document?.outcomes ?? null, failure: report.message };
        }),
      );
      return decideRace(check, inputs);
    }
    case 'memory-peak': {
      const datasets = await datasetsFor(check, exercise, options);
      const runs = await Promise.all(
        datasets.map((data) =>
          memoryRun(runner, exercise, check, {
            files: withData(files, data.file),
            entry: check.entry,
            argv: data.argv,
          }),
        ),
      );
      return memoryVerdict(runner, limits, runs, (measured) => decideMemoryPeak(check, measured));
    }
    case 'memory-streaming': {
      const [seed = 0] = seedsFor(check, options, 1);
      const runs = await Promise.all(
        check.scales.map(async (scale) => {
          const data = await generateData(exercise, check.data, 'input.data', seed, options.runtime, scale);
          const argv = [check.arg.replace('{path}', data.path)];
          return memoryRun(runner, exercise, check, { files: [...files, data], entry: check.entry, argv });
        }),
      );
      return memoryVerdict(runner, limits, runs, (measured) => decideMemoryStreaming(check, measured));
    }
    case 'tests-of-tests': {
      const [correct, mutants] = await testsOfTestsRuns(check, exercise, files, runner);
      return decideTestsOfTests(check, correct, mutants);
    }
    default:
      return unmeasured(check, `check kind ${check.kind} is not a program-level check`);
  }
}

/** The learner's tests run on every correct implementation and every mutant. */
async function testsOfTestsRuns(
  check: Extract<AuthoredCheck, { kind: 'tests-of-tests' }>,
  exercise: Exercise,
  files: JobFile[],
  runner: Runner,
): Promise<[TestsRun[], TestsRun[]]> {
  const reference = exercise.solution[check.implementation] ?? exercise.starter[check.implementation] ?? '';
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
  const runTests = async (impl: { label: string; source: string }): Promise<TestsRun> => {
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
    // Only failed-test names and locations in the learner's own files (never a message,
    // which could quote the hidden file).
    return {
      label: impl.label,
      exitCode: report.exitCode,
      failedTests: failedTestNames(output, own),
      where: ownTestLocations(output, own),
    };
  };
  return Promise.all([Promise.all(correct.map(runTests)), Promise.all(mutants.map(runTests))]);
}
