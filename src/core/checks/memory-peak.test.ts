import { describe, expect, it } from 'vitest';
import { verdictPeakMb, withAllocationSites, type MemoryRun } from './memory.js';
import { decideMemoryPeak } from './memory-peak.js';
import type { CheckOf } from './result.js';

const check: CheckOf<'memory-peak'> = {
  id: 'small-peak',
  kind: 'memory-peak',
  entry: 'search.py',
  args: ['{path}'],
  dataFile: 'input.data',
  datasets: 2,
  output: 'reference',
  maxMb: 50,
};
const MB = 1024;
const run = (reportedMb: number | null, kernelMb: number, stdout = 'ok\n'): MemoryRun => ({
  failure: null,
  stdout,
  expected: { stdout: 'ok\n' },
  figures: { reportedKb: reportedMb === null ? null : reportedMb * MB, kernelKb: kernelMb * MB },
});

describe('memory-peak decision', () => {
  it("floors the program's own figure by the kernel's: a forged low figure is not believed", () => {
    expect(verdictPeakMb({ reportedKb: 19.5 * MB, kernelKb: 315 * MB })).toBe(315);
    expect(verdictPeakMb({ reportedKb: null, kernelKb: 12 * MB })).toBe(12);
  });

  it('passes when the highest peak of all inputs is under the limit', () => {
    const verdict = decideMemoryPeak(check, [run(20, 18), run(31.25, 30)]);
    expect(verdict).toMatchObject({
      explain: null,
      result: {
        status: 'passed',
        sentence: 'peak memory 31.3 MB (allowed 50 MB)',
        evidence: { peakMb: 31.3, reportedByProgramMb: 31.3, measuredByKernelMb: 30, maxMb: 50 },
      },
    });
  });

  it('fails over the limit and names the worst run to explain; the sites complete the sentence', () => {
    const verdict = decideMemoryPeak(check, [run(20, 18), run(19.5, 315), run(40, 41)]);
    expect(verdict.explain).toBe(1);
    const site = { where: 'search.py:7', sizeMb: 41.2, blocks: 3, source: 'lines = f.readlines()' };
    const explained = withAllocationSites(verdict.result, [site]);
    expect(explained.sentence).toBe(
      'peak memory 315.0 MB (allowed 50 MB); at the peak, the most was allocated at search.py:7 (41.2 MB: `lines = f.readlines()`)',
    );
    expect(explained.evidence.allocationSitesAtPeak).toEqual([site]);
    expect(withAllocationSites(verdict.result, null)).toBe(verdict.result);
  });

  it('fails a wrong output before looking at memory, showing both outputs', () => {
    const verdict = decideMemoryPeak(check, [run(1, 1, '')]);
    expect(verdict).toMatchObject({
      explain: null,
      result: { status: 'failed', evidence: { stdout: '', expectedStdout: 'ok\n' } },
    });
    expect(verdict.result.sentence).toMatch(
      /^the program printed "", expected "ok\\n" \(the reference solution.s output on the same input\)$/,
    );
  });
});
