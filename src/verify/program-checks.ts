/**
 * Program-level checks (hang, race, memory-peak, memory-streaming, tests-of-tests): each is
 * one or more sandbox runs of the learner's whole program, measured by the host and decided
 * here. Function-level checks live in engine.ts (they go to the grader).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthoredCheck, Exercise } from '../core/exercise.js';
import type { CheckResult } from '../core/verify-report.js';
import { shortPath } from '../core/names.js';
import type { PythonRuntime } from '../core/runtime.js';
import type { AnyJobReport, Runner } from '../runner/runner.js';
import type { JobFile } from '../sandbox/types.js';

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
  const report = await runner.run({
    mode: 'memory',
    ...spec,
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

/**
 * The program's own peak resident memory (its largest process), from the harness: unlike the
 * sandbox-wide figure it leaves out the copied input files, which live in the private tmpfs
 * and would make a streaming program look like it loads its input.
 */
function programPeakMb(report: AnyJobReport): number {
  const doc = report.document;
  const kb = doc ? Math.max(doc.selfMaxRssKb, doc.childrenMaxRssKb) : report.peakMemoryKb;
  return kb / 1024;
}

function stdoutOf(report: AnyJobReport): string {
  return report.outcome.output
    .filter((c) => c.stream === 'stdout')
    .map((c) => c.text)
    .join('');
}

function tail(text: string, chars = 600): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
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
      const stdin =
        check.stdin === 'closed'
          ? { mode: 'closed' as const }
          : check.stdin === 'terminal'
            ? { mode: 'terminal' as const }
            : { mode: 'text' as const, text: check.stdin.text };
      const report = await runner.run({
        mode: 'run',
        files,
        entry: check.entry,
        argv: check.args,
        stdin,
        limits: { ...exercise.meta.limits, wallS: check.withinS },
      });
      const stdout = stdoutOf(report);
      const stderr = report.outcome.output
        .filter((c) => c.stream === 'stderr')
        .map((c) => c.text)
        .join('');
      const evidence = {
        wallMs: report.outcome.wallMs,
        exitCode: report.exitCode,
        stdout: tail(stdout),
        stderr: tail(stderr),
        stuck: report.hang?.lines ?? [],
      };
      if (report.limitHit === 'timeout') {
        return result(
          false,
          `did not finish within ${check.withinS} s; ${report.hang?.lines[0] ?? 'no stacks were captured'}`,
          evidence,
        );
      }
      if (report.status !== 'ok') return result(false, report.message, evidence);
      if (check.expectStdout !== undefined && stdout !== check.expectStdout) {
        return result(
          false,
          `finished in ${(report.outcome.wallMs / 1000).toFixed(2)} s but printed ${JSON.stringify(tail(stdout, 120))}, expected ${JSON.stringify(check.expectStdout)}`,
          evidence,
        );
      }
      return result(
        true,
        `finished in ${(report.outcome.wallMs / 1000).toFixed(2)} s (limit ${check.withinS} s)${check.expectStdout !== undefined ? ' with the expected output' : ''}`,
        evidence,
      );
    }
    case 'race': {
      const report = await runner.run({
        mode: 'repeat',
        files,
        entry: check.entry,
        env: { PERFLAB_SWITCH_INTERVAL_S: String(check.switchIntervalS) },
        modeOptions: { repeat: { times: check.repeat, timeoutS: exercise.meta.limits.wallS ?? 20 } },
        limits: {
          ...exercise.meta.limits,
          wallS: Math.min(900, (exercise.meta.limits.wallS ?? 20) * check.repeat + 10),
        },
      });
      const outcomes = report.document?.outcomes ?? [];
      const good = outcomes
        .filter((o) => o.exitCode === 0 && o.stdout === check.expectStdout)
        .reduce((s, o) => s + o.count, 0);
      const evidence = {
        outcomes: outcomes.map((o) => ({
          count: o.count,
          exitCode: o.exitCode,
          stdout: tail(o.stdout, 200),
        })),
        switchIntervalS: check.switchIntervalS,
      };
      if (!report.document) return result(false, report.message, evidence);
      const passed = good === check.repeat;
      return result(
        passed,
        passed
          ? `all ${check.repeat} runs printed the expected result under a ${check.switchIntervalS} s switch interval`
          : `${check.repeat - good} of ${check.repeat} runs went wrong (${outcomes.length} distinct outcomes): updates are being lost`,
        evidence,
      );
    }
    case 'memory-peak': {
      const report = await runner.run({
        mode: 'run',
        files,
        entry: check.entry,
        argv: check.args,
        limits: exercise.meta.limits,
      });
      const peakMb = programPeakMb(report);
      if (report.status !== 'ok') return result(false, report.message, { peakMb });
      const sentence = `peak memory ${peakMb.toFixed(1)} MB (allowed ${check.maxMb} MB)`;
      if (peakMb <= check.maxMb) return result(true, sentence, { peakMb, maxMb: check.maxMb });
      const sites = await allocationSitesAtPeak(runner, {
        files,
        entry: check.entry,
        argv: check.args,
        limits: exercise.meta.limits,
      });
      return result(false, sentence + sitesClause(sites), {
        peakMb,
        maxMb: check.maxMb,
        ...(sites && { allocationSitesAtPeak: sites }),
      });
    }
    case 'memory-streaming': {
      const peaks: number[] = [];
      // The largest input's run, kept for the allocation sites should the check fail.
      let largestRun: { files: JobFile[]; argv: string[] } | null = null;
      for (const scale of check.scales) {
        const dataFiles = generateData(exercise, check.data, scale, options.runtime);
        const argv = [check.arg.replace('{path}', dataFiles.name)];
        const runFiles = [...files, dataFiles.file];
        const report = await runner.run({
          mode: 'run',
          files: runFiles,
          entry: check.entry,
          argv,
          limits: exercise.meta.limits,
        });
        if (report.status !== 'ok') return result(false, `at ${scale}× input: ${report.message}`);
        peaks.push(programPeakMb(report));
        largestRun = { files: runFiles, argv };
      }
      const [small = 1, large = 1] = peaks;
      const growth = large / small;
      const sentence = `peak memory ${small.toFixed(1)} MB at ${check.scales[0]}× input and ${large.toFixed(1)} MB at ${check.scales[1]}× (${growth.toFixed(2)}×; allowed ${check.maxGrowth}×)`;
      if (growth <= check.maxGrowth) return result(true, sentence, { peaksMb: peaks });
      const sites =
        largestRun &&
        (await allocationSitesAtPeak(runner, {
          ...largestRun,
          entry: check.entry,
          limits: exercise.meta.limits,
        }));
      return result(false, sentence + sitesClause(sites), {
        peaksMb: peaks,
        ...(sites && { allocationSitesAtPeak: sites }),
      });
    }
    case 'tests-of-tests': {
      const implementations: { label: string; source: string }[] = [
        {
          label: 'the correct implementation',
          source: exercise.solution[check.implementation] ?? exercise.starter[check.implementation] ?? '',
        },
      ];
      const prefix = check.mutants.replace(/^tests\//, '').replace(/\/?$/, '/');
      for (const [path, source] of Object.entries(exercise.tests).sort()) {
        if (path.startsWith(prefix) && path.endsWith('.py'))
          implementations.push({ label: `mutant ${path.slice(prefix.length)}`, source });
      }
      const outcomes: { label: string; exitCode: number | null; passedTests: boolean; output: string }[] = [];
      for (const impl of implementations) {
        const variant = files
          .filter((f) => f.path !== check.implementation)
          .concat({ path: check.implementation, content: impl.source });
        variant.push({
          path: '_perflab_run_tests.py',
          content: `import sys\nimport pytest\nsys.exit(pytest.main([${check.tests.map((t) => JSON.stringify(t)).join(', ')}, "-q", "-p", "no:cacheprovider", "--no-header"]))\n`,
        });
        const report = await runner.run({
          mode: 'run',
          files: variant,
          entry: '_perflab_run_tests.py',
          limits: { ...exercise.meta.limits, wallS: exercise.meta.limits.wallS ?? 60 },
        });
        const output = report.outcome.output.map((c) => c.text).join('');
        outcomes.push({
          label: impl.label,
          exitCode: report.exitCode,
          passedTests: report.exitCode === 0,
          output: tail(output, 800),
        });
      }
      const [correct, ...mutants] = outcomes;
      const noTests = outcomes.some((o) => o.exitCode === 5);
      const missed = mutants.filter((m) => m.passedTests);
      const passed = Boolean(correct?.passedTests) && missed.length === 0 && !noTests;
      let sentence: string;
      if (noTests) sentence = 'pytest collected no tests from your test files';
      else if (!correct?.passedTests)
        sentence = 'your tests fail against the correct implementation (see the pytest output)';
      else if (missed.length > 0)
        sentence = `your tests pass against the correct implementation but also against ${missed.length} of ${mutants.length} broken versions (${missed.map((m) => m.label).join(', ')})`;
      else
        sentence = `your tests pass against the correct implementation and catch all ${mutants.length} broken versions`;
      return result(passed, sentence, { outcomes });
    }
    default:
      return result(false, `check kind ${check.kind} is not a program-level check`);
  }
}

function generateData(
  exercise: Exercise,
  spec: string,
  scale: number,
  runtime: PythonRuntime,
): { name: string; file: JobFile } {
  const [file, fn] = spec.split(':') as [string, string];
  const dir = mkdtempSync(join(tmpdir(), 'perflab-data-'));
  try {
    const out = join(dir, 'input.data');
    const script = `import runpy, sys\nns = runpy.run_path(sys.argv[1])\nns[sys.argv[2]](sys.argv[3], float(sys.argv[4]))\n`;
    const generator = join(exercise.dir, file);
    const run = spawnSync(
      join(runtime.venvDir, 'bin', 'python'),
      ['-c', script, generator, fn, out, String(scale)],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`data generator ${spec} failed: ${run.stderr}`);
    return { name: 'input.data', file: { path: 'input.data', content: readFileSync(out) } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
