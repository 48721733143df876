/**
 * Hang: the program must finish within the limit (on every hidden input, with the reference
 * solution's output when the check asks for it). A run cut at the limit names where it was
 * stuck, from the stacks the sandbox collected.
 */
import type { CheckResultOf } from '../verify-report.js';
import { outputProblem, tail, type ProgramRun } from './program-output.js';
import { decided, plural, type CheckOf } from './result.js';

export interface HangRun extends ProgramRun {
  /** True when the run was stopped at the check's time limit. */
  timedOut: boolean;
  wallMs: number;
  exitCode: number | null;
  stderr: string;
  /** One line per stuck thread (the hang diagnosis), when stopped at the limit. */
  stuck: string[];
}

export function decideHang(check: CheckOf<'hang'>, runs: readonly HangRun[]): CheckResultOf<'hang'> {
  const hidden = check.data !== undefined;
  const inputs = hidden ? { hiddenInputs: runs.length } : {};
  let slowestMs = 0;
  for (const run of runs) {
    const evidence = {
      wallMs: run.wallMs,
      exitCode: run.exitCode,
      stdout: tail(run.stdout),
      stderr: tail(run.stderr),
      stuck: run.stuck,
      ...inputs,
    };
    if (run.timedOut)
      return decided(
        check,
        false,
        `did not finish within ${check.withinS} s; ${run.stuck[0] ?? 'no stacks were captured'}`,
        evidence,
      );
    const problem = outputProblem(run, hidden);
    if (problem?.kind === 'output')
      return decided(
        check,
        false,
        `finished in ${(run.wallMs / 1000).toFixed(2)} s but ${problem.sentence}`,
        {
          ...evidence,
          expectedStdout: problem.expectedStdout,
        },
      );
    if (problem) return decided(check, false, problem.sentence, evidence);
    slowestMs = Math.max(slowestMs, run.wallMs);
  }
  const last = runs[runs.length - 1];
  const onInputs = hidden
    ? ` on ${runs.length === 1 ? 'a hidden input' : plural(runs.length, 'hidden input')}`
    : '';
  return decided(
    check,
    true,
    `finished in ${(slowestMs / 1000).toFixed(2)} s (limit ${check.withinS} s)` +
      (check.output === 'reference' ? ` with the reference solution's output${onInputs}` : ''),
    { wallMs: slowestMs, exitCode: last?.exitCode ?? null, stdout: tail(last?.stdout ?? ''), ...inputs },
  );
}
