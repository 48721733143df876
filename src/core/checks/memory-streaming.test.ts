import { describe, expect, it } from 'vitest';
import type { MemoryRun } from './memory.js';
import { decideMemoryStreaming } from './memory-streaming.js';
import type { CheckOf } from './result.js';

const check: CheckOf<'memory-streaming'> = {
  id: 'streams',
  kind: 'memory-streaming',
  entry: 'analyse.py',
  data: 'tests/gen.py:log',
  arg: '{path}',
  scales: [1, 10],
  maxGrowth: 1.5,
  output: 'reference',
};
const figures = (reportedMb: number | null, kernelMb: number): MemoryRun => ({
  failure: null,
  stdout: 'ok\n',
  expected: { stdout: 'ok\n' },
  figures: { reportedKb: reportedMb === null ? null : reportedMb * 1024, kernelKb: kernelMb * 1024 },
});

describe('memory-streaming decision', () => {
  it('passes a flat peak across scales', () => {
    const verdict = decideMemoryStreaming(check, [figures(20, 19), figures(22, 21)]);
    expect(verdict).toMatchObject({
      explain: null,
      result: { status: 'passed', evidence: { growth: 1.11 } },
    });
    expect(verdict.result.sentence).toBe(
      'peak memory 19.0 MB at 1× input and 21.0 MB at 10× (1.11×; allowed 1.5×)',
    );
  });

  it('the steeper source decides: an inflated small-input figure cannot flatten the growth', () => {
    const verdict = decideMemoryStreaming(check, [figures(150, 20), figures(160, 70)]);
    expect(verdict).toMatchObject({ explain: 1, result: { status: 'failed', evidence: { growth: 3.5 } } });
    expect(verdict.result.evidence.reportedByProgramMb).toEqual([150, 160]);
  });

  it('names the scale of a run that failed or printed the wrong output', () => {
    const failed = { ...figures(1, 1), failure: 'the program ran out of memory' };
    expect(decideMemoryStreaming(check, [figures(1, 1), failed]).result.sentence).toBe(
      'at 10× input: the program ran out of memory',
    );
    const wrong = { ...figures(1, 1), stdout: 'nope\n' };
    expect(decideMemoryStreaming(check, [wrong, figures(1, 1)]).result.sentence).toMatch(
      /^at 1× input, the program printed "nope\\n"/,
    );
  });
});
