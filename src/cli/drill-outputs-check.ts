/**
 * `perflab check`'s part for code-reading drills: run each drill's program with perflab (the
 * same profile pipeline and timeit path as the web app's Profile and timeit jobs, so the
 * recorded result is exactly the view the browser renders), decide its `expect` claims on
 * the fresh run, and compare with the recorded output — or, with --record-drill-outputs,
 * rewrite the recorded file after a passing run.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname } from 'node:path';
import Table from 'cli-table3';
import {
  decideClaim,
  drillCommand,
  DRILL_OUTPUT_DOCUMENT,
  type DrillClaim,
  type DrillOutputSpec,
  type RecordedDrillOutput,
} from '../core/drill-expect.js';
import type { JobResultView } from '../core/api.js';
import {
  checkRecordedOutput,
  drillLine,
  programPath,
  recordedOutputPath,
  sha256,
} from '../course/drill-outputs.js';
import type { LoadedDrill } from '../course/load.js';
import type { Runner } from '../runner/runner.js';
import { executeProfile, executeTimeit, type JobOutcome, type ProgramSpec } from '../server/job-kinds.js';
import { colour, formatMs } from './format.js';
import { mapLimited } from './map-limited.js';

export type OutputDrill = LoadedDrill & { output: DrillOutputSpec };

export interface DrillOutputRow {
  drill: string;
  command: string;
  /** What happened to the recorded file: as it was found, or 'written' by this run. */
  recorded: 'current' | 'missing' | 'invalid' | 'stale' | 'written' | 'not checked';
  claimsOk: number;
  claimsTotal: number;
  ok: boolean;
  /** Why the claims could not be decided here (too few CPUs for `needsCpus`), or null. */
  undecided: string | null;
  /** `FILE:LINE: message` each. */
  problems: string[];
  wallMs: number;
}

type ToolResult = Extract<JobResultView, { kind: 'profile' | 'timeit' }>;

/** Runs the drill's program as the web app's Profile or timeit job would. */
export async function runDrillProgram(
  runner: Runner,
  spec: DrillOutputSpec,
  source: string,
): Promise<JobOutcome> {
  const name = basename(spec.program);
  const program: ProgramSpec = {
    files: [{ path: name, content: source }],
    entry: name,
    argv: [],
    stdin: { mode: 'closed' },
    limits: {},
  };
  return spec.command === 'timeit'
    ? executeTimeit(runner, program, spec.names ?? [])
    : executeProfile(runner, program, () => {}, {
        lines: spec.flags.includes('--lines'),
        memory: spec.flags.includes('--memory'),
      });
}

function claimLabel(claim: DrillClaim, index: number): string {
  return `expect[${index}] (${claim.claim})`;
}

/**
 * Checks one drill: a fresh run whose claims must all hold, and a recorded output that must be
 * current and show the same. With `record`, a passing run replaces the recorded file.
 */
export async function checkDrillOutput(
  runner: Runner,
  drill: OutputDrill,
  options: { record: boolean; python: string; nowMs?: () => number },
): Promise<DrillOutputRow> {
  const started = performance.now();
  const at = `${drill.file}:${drillLine(await readFile(drill.file, 'utf8'), drill.id)}`;
  const command = drillCommand(drill.output);
  const row: DrillOutputRow = {
    drill: drill.id,
    command,
    recorded: 'not checked',
    claimsOk: 0,
    claimsTotal: drill.output.expect.length,
    ok: false,
    undecided: null,
    problems: [],
    wallMs: 0,
  };
  const finish = () => ({ ...row, ok: row.problems.length === 0, wallMs: performance.now() - started });
  let source: string;
  try {
    source = await readFile(programPath(drill, drill.output), 'utf8');
  } catch {
    row.problems.push(`${at}: drill "${drill.id}": output.program ${drill.output.program} cannot be read`);
    return finish();
  }
  const outcome = await runDrillProgram(runner, drill.output, source);
  const result = outcome.result as ToolResult;
  if (outcome.failed) {
    row.problems.push(`${at}: drill "${drill.id}": \`${command}\` failed: ${outcome.message}`);
    return finish();
  }
  // A later run of the pipeline that failed leaves its view empty: nothing to record or show.
  for (const [flag, part] of [
    ['--lines', 'lines'],
    ['--memory', 'memory'],
  ] as const) {
    if (result.kind === 'profile' && drill.output.flags.includes(flag) && !result[part]) {
      row.problems.push(
        `${at}: drill "${drill.id}": the ${flag} run of \`${command}\` produced no ${part} view`,
      );
    }
  }
  const cpus = result.run.cpusAvailable;
  if (drill.output.needsCpus !== undefined && cpus !== null && cpus < drill.output.needsCpus) {
    // Not recorded either: a recording from this machine would not show what the drill claims.
    row.undecided = `its claims need ${drill.output.needsCpus} CPUs and runs here get ${cpus}`;
    const recorded = await checkRecordedOutput(drill, source);
    row.recorded = recorded.status;
    if (recorded.status !== 'current') row.problems.push(`${at}: ${recorded.problem}`);
    return finish();
  }
  drill.output.expect.forEach((claim, index) => {
    const verdict = decideClaim(claim, result);
    if (verdict.ok) row.claimsOk++;
    else
      row.problems.push(
        `${at}: drill "${drill.id}": ${claimLabel(claim, index)} does not hold: ${verdict.sentence}`,
      );
  });
  if (options.record) {
    if (row.problems.length === 0) {
      const document: RecordedDrillOutput = {
        schema: DRILL_OUTPUT_DOCUMENT,
        drill: drill.id,
        tool: drill.output.command,
        program: { name: basename(drill.output.program), source },
        command,
        recordedAtMs: (options.nowMs ?? Date.now)(),
        python: options.python,
        programSha256: sha256(source),
        // A JobResultView is plain JSON data; the document's schema checks it loosely.
        result: result as unknown as RecordedDrillOutput['result'],
      };
      const path = recordedOutputPath(drill);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, JSON.stringify(document, null, 1) + '\n');
      row.recorded = 'written';
    }
    return finish();
  }
  const recorded = await checkRecordedOutput(drill, source);
  row.recorded = recorded.status;
  if (recorded.status !== 'current') row.problems.push(`${at}: ${recorded.problem}`);
  else {
    // The question and answer are read against the recorded output: it must show the claims too.
    drill.output.expect.forEach((claim, index) => {
      const verdict = decideClaim(claim, recorded.recorded.result as unknown as ToolResult);
      if (!verdict.ok) {
        row.problems.push(
          `${at}: drill "${drill.id}": the recorded output no longer shows ${claimLabel(claim, index)}: ${verdict.sentence}`,
        );
      }
    });
  }
  return finish();
}

/** The drills table of `perflab check` and each failing drill's problems. */
export function printDrillOutputRows(rows: DrillOutputRow[]): void {
  if (rows.length === 0) return;
  const table = new Table({
    head: ['code-reading drill', 'command', 'claims', 'recorded output', 'time', ''].map((h) =>
      colour.bold(h),
    ),
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push([
      row.drill,
      row.command,
      `${row.claimsOk}/${row.claimsTotal}`,
      row.recorded,
      formatMs(row.wallMs),
      !row.ok ? colour.red('FAIL') : row.undecided ? colour.yellow('UNDECIDED') : colour.green('ok'),
    ]);
  }
  console.log(table.toString());
  for (const row of rows.filter((r) => !r.ok)) {
    console.log(colour.red(`\n${row.drill}:`));
    for (const problem of row.problems) console.log(`  ${problem}`);
  }
  for (const row of rows.filter((r) => r.ok && r.undecided)) {
    console.log(colour.yellow(`\n${row.drill}: not decided here: ${row.undecided}`));
  }
}

/**
 * Every drill's program, in drill order. Profiles run side by side (their claims compare
 * parts of one run, which a busy neighbour slows alike); timeit comparisons one at a time,
 * alone, as lessons' timing claims are. A failing drill is run once more with `retryFailed`.
 */
export async function checkDrillOutputs(
  drills: readonly OutputDrill[],
  runner: Runner,
  python: string,
  options: { recordDrillOutputs?: boolean; retryFailed?: boolean },
  onDone: () => void,
): Promise<DrillOutputRow[]> {
  const check = async (drill: OutputDrill) => {
    try {
      const settings = { record: options.recordDrillOutputs ?? false, python };
      const first = await checkDrillOutput(runner, drill, settings);
      return (first.ok && !first.undecided) || !options.retryFailed
        ? first
        : await checkDrillOutput(runner, drill, settings);
    } finally {
      onDone();
    }
  };
  const profiles = drills.filter((d) => d.output.command === 'profile');
  const timeits = drills.filter((d) => d.output.command === 'timeit');
  const rows = [
    ...(await mapLimited(profiles, availableParallelism(), check)),
    ...(await mapLimited(timeits, 1, check)),
  ];
  return drills.map((d) => rows.find((r) => r.drill === d.id) as DrillOutputRow);
}
