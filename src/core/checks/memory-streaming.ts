/**
 * Memory streaming: the peak may grow at most `maxGrowth`× from the smaller input scale to
 * the larger. Growth is taken on each source (the program's figures and the kernel's) and the
 * steeper decides: a program can write its document's figures (an inflated small-input figure
 * flattens the ratio, so flooring each figure is not enough), nothing inside the run can
 * change the kernel's. The larger run is the one to explain when growth is too steep.
 */
import type { CheckResultOf } from '../verify-report.js';
import { roundMb, verdictPeakMb, type MemoryRun, type MemoryVerdict } from './memory.js';
import { outputProblem } from './program-output.js';
import { decided, type CheckOf } from './result.js';

/** Growth ratios keep two decimals in the evidence. */
const round2 = (x: number) => Math.round(x * 100) / 100;

export function decideMemoryStreaming(
  check: CheckOf<'memory-streaming'>,
  /** One run per scale, in the order of check.scales. */
  runs: readonly MemoryRun[],
): MemoryVerdict<CheckResultOf<'memory-streaming'>> {
  for (const [i, run] of runs.entries()) {
    const at = `at ${check.scales[i]}× input`;
    const problem = outputProblem(run, true);
    if (problem?.kind === 'output') {
      const { stdout, expectedStdout } = problem;
      const sentence = `${at}, the program ${problem.sentence}`;
      return { result: decided(check, false, sentence, { stdout, expectedStdout }), explain: null };
    }
    if (problem?.kind === 'run')
      return { result: decided(check, false, `${at}: ${problem.sentence}`, {}), explain: null };
    if (problem) return { result: decided(check, false, problem.sentence, {}), explain: null };
  }
  const [small, large] = runs.map((r) => r.figures) as [MemoryRun['figures'], MemoryRun['figures']];
  const kernelGrowth = large.kernelKb / Math.max(1, small.kernelKb);
  const reportedGrowth = small.reportedKb && large.reportedKb ? large.reportedKb / small.reportedKb : 0;
  const growth = Math.max(kernelGrowth, reportedGrowth);
  const fromKernel = kernelGrowth >= reportedGrowth;
  const mb = (f: MemoryRun['figures']) => ((fromKernel ? f.kernelKb : (f.reportedKb ?? 0)) / 1024).toFixed(1);
  const passed = growth <= check.maxGrowth;
  return {
    result: decided(
      check,
      passed,
      `peak memory ${mb(small)} MB at ${check.scales[0]}× input and ${mb(large)} MB at ${check.scales[1]}× (${growth.toFixed(2)}×; allowed ${check.maxGrowth}×)`,
      {
        peaksMb: runs.map((r) => Math.round(verdictPeakMb(r.figures) * 10) / 10),
        reportedByProgramMb: runs.map((r) =>
          r.figures.reportedKb === null ? null : roundMb(r.figures.reportedKb),
        ),
        measuredByKernelMb: runs.map((r) => roundMb(r.figures.kernelKb)),
        growth: round2(growth),
      },
    ),
    explain: passed ? null : 1,
  };
}
