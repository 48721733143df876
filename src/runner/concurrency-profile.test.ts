/**
 * The branches of runConcurrencyProfile's results that a real run rarely takes: no capture,
 * no document, a capture file too big to send, where the peak is said to be. Real runs of
 * each profiler are in src/server/profile-jobs.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { HarnessResultOf, MemoryFrame, MemoryTreeNode } from '../core/documents.js';
import { memrayResult, peakSite, sampleResult, timelineResult } from './concurrency-profile.js';
import type { JobReport } from './runner.js';

const frame = (name: string, origin: MemoryFrame['origin'], native = false): MemoryFrame => ({
  name,
  file: origin === 'user' ? 'main.py' : `lib/${name}.py`,
  line: 3,
  origin,
  native,
});
const node = (f: MemoryFrame | null, bytes: number, children: MemoryTreeNode[] = []): MemoryTreeNode => ({
  frame: f,
  bytes,
  allocations: 1,
  children,
});

// The whole program → main → build (learner) → bytearray's C allocator; a smaller stdlib branch.
const TREE = node(null, 10_000_000, [
  node(frame('<module>', 'user'), 9_000_000, [
    node(frame('build', 'user'), 8_500_000, [node(frame('PyByteArray_Resize', 'builtin', true), 8_500_000)]),
    node(frame('json_load', 'stdlib'), 500_000),
  ]),
  node(frame('importlib', 'stdlib'), 1_000_000),
]);

function report<M extends 'run' | 'timeline' | 'memray'>(
  mode: M,
  fields: Partial<JobReport<M>>,
): JobReport<M> {
  return { mode, status: 'ok', message: 'the program finished', document: null, ...fields } as JobReport<M>;
}

function memrayDoc(captureBase64: string | null): HarnessResultOf<'memray'> {
  // 10 MB at the peak (the tree above), nothing leaked; a 40 MB capture file.
  const sizes = { peakBytes: 10_000_000, peakAllocations: 120, totalAllocatedBytes: 12_000_000 };
  const leaks = { leaks: [], leakedBytes: 0 };
  const tracer = { name: 'memray', version: '1.20.0' } as const;
  return {
    mode: 'memray',
    tracer,
    nativeTraces: true,
    ...sizes,
    peakTree: TREE,
    ...leaks,
    captureBase64,
    captureBytes: 40_000_000,
  } as unknown as HarnessResultOf<'memray'>;
}

describe('peakSite', () => {
  it('names the deepest frame of the learner’s code on the heaviest path', () => {
    expect(peakSite(TREE)?.name).toBe('build');
  });
  it('falls back to the deepest frame when no frame on that path is the learner’s', () => {
    expect(
      peakSite(
        node(null, 5, [node(frame('loads', 'stdlib'), 5, [node(frame('malloc', 'builtin', true), 5)])]),
      )?.name,
    ).toBe('malloc');
    expect(peakSite(node(null, 0))).toBeNull();
  });
});

describe('memrayResult', () => {
  it('offers memray.bin from the capture and keeps the bytes out of the view', () => {
    const result = memrayResult(
      report('memray', { document: memrayDoc(Buffer.from('MEMRAY').toString('base64')) }),
    );
    expect(result.artifacts['memray.bin']?.toString()).toBe('MEMRAY');
    expect(result.memray).not.toHaveProperty('captureBase64');
    expect(result.memray?.peakBytes).toBe(10_000_000);
    expect(result.message).toBe('memory peaked at 9.5 MiB, most of it allocated in build (main.py:3)');
  });
  it('says so when the capture was too big to send', () => {
    const result = memrayResult(report('memray', { document: memrayDoc(null) }));
    expect(result.artifacts).toEqual({});
    expect(result.message).toMatch(/capture file, 38\.1 MiB, is too big to download/);
  });
  it('keeps the run’s sentence when the program failed or left no document', () => {
    const failed = memrayResult(
      report('memray', {
        status: 'program-failed',
        message: 'the program raised KeyError: 1',
        document: memrayDoc(''),
      }),
    );
    expect(failed.message).toBe('the program raised KeyError: 1');
    expect(failed.memray).not.toBeNull();
    const none = memrayResult(report('memray', { status: 'limit', message: 'timeout: …' }));
    expect([none.memray, none.message]).toEqual([null, 'timeout: …']);
  });
});

describe('sampleResult and timelineResult without data', () => {
  it('a run the sampler could not watch says why, and offers nothing', () => {
    const result = sampleResult(
      report('run', { sample: null, sampleError: 'py-spy could not attach' }),
      'main.py',
    );
    expect(result).toMatchObject({ sampled: null, timeline: null, artifacts: {} });
    expect(result.message).toBe('not sampled: py-spy could not attach');
    const failed = sampleResult(
      report('run', { status: 'program-failed', message: 'the program exited with status 1', sample: null }),
      'main.py',
    );
    expect(failed.message).toBe(
      'the program exited with status 1 (not sampled: the sampler collected nothing)',
    );
  });
  it('a timeline run without a document has no timeline', () => {
    const result = timelineResult(
      report('timeline', { status: 'setup-error', message: 'viztracer is missing' }),
    );
    expect(result).toMatchObject({ timeline: null, artifacts: {}, message: 'viztracer is missing' });
  });
});
