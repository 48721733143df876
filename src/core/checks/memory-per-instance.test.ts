import { describe, expect, it } from 'vitest';
import { decideMemoryPerInstance } from './memory-per-instance.js';
import type { CheckOf } from './result.js';

const check: CheckOf<'memory-per-instance'> = {
  id: 'small-points',
  kind: 'memory-per-instance',
  call: 'points.make_points',
  count: 100_000,
  maxBytes: 64,
  noDict: true,
};
const measured = (bytesPerInstance: number | null, hasDict: boolean) => ({
  id: check.id,
  kind: 'memory-per-instance' as const,
  bytesPerInstance,
  hasDict,
  className: 'Point',
  error: null,
});

describe('memory-per-instance decision', () => {
  it.each([
    [48, false, 'passed', '48 bytes per Point (allowed 64); no per-instance __dict__'],
    [48, true, 'failed', '48 bytes per Point (allowed 64); instances still carry a __dict__'],
    [152, false, 'failed', '152 bytes per Point (allowed 64); no per-instance __dict__'],
    [null, false, 'failed', '? bytes per Point (allowed 64); no per-instance __dict__'],
  ] as const)('%s bytes, __dict__ %s: %s', (bytes, hasDict, status, sentence) => {
    expect(decideMemoryPerInstance(check, measured(bytes, hasDict))).toMatchObject({ status, sentence });
  });

  it('says nothing of __dict__ when the check does not ask', () => {
    expect(decideMemoryPerInstance({ ...check, noDict: false }, measured(60, true))).toMatchObject({
      status: 'passed',
      sentence: '60 bytes per Point (allowed 64)',
      evidence: { bytesPerInstance: 60, hasDict: true, className: 'Point' },
    });
  });
});
