/**
 * Memory peak: on every hidden input, the program's peak (its own figure floored by the
 * kernel's) must stay under the limit, with the reference solution's output. The run with
 * the highest peak decides, and is the one to explain when it is too high.
 */
import type { CheckResultOf } from '../verify-report.js';
import { roundMb, verdictPeakMb, type MemoryRun, type MemoryVerdict } from './memory.js';
import { outputProblem } from './program-output.js';
import { decided, type CheckOf } from './result.js';

export function decideMemoryPeak(
  check: CheckOf<'memory-peak'>,
  runs: readonly MemoryRun[],
): MemoryVerdict<CheckResultOf<'memory-peak'>> {
  const hidden = check.data !== undefined;
  const worst = runs.reduce(
    (a, b, i) => (verdictPeakMb(b.figures) > verdictPeakMb(runs[a]!.figures) ? i : a),
    0,
  );
  const { figures } = runs[worst] as MemoryRun;
  const peakMb = Math.round(verdictPeakMb(figures) * 10) / 10;
  const evidence = {
    peakMb,
    reportedByProgramMb: figures.reportedKb === null ? null : roundMb(figures.reportedKb),
    measuredByKernelMb: roundMb(figures.kernelKb),
  };
  for (const run of runs) {
    const problem = outputProblem(run, hidden);
    if (problem?.kind === 'output') {
      const { stdout, expectedStdout } = problem;
      return {
        result: decided(check, false, `the program ${problem.sentence}`, {
          ...evidence,
          stdout,
          expectedStdout,
        }),
        explain: null,
      };
    }
    if (problem) return { result: decided(check, false, problem.sentence, evidence), explain: null };
  }
  const passed = peakMb <= check.maxMb;
  return {
    result: decided(check, passed, `peak memory ${peakMb.toFixed(1)} MB (allowed ${check.maxMb} MB)`, {
      ...evidence,
      maxMb: check.maxMb,
    }),
    explain: passed ? null : worst,
  };
}
