/**
 * The sampled profile's terminal tables: a row per process and thread with the kernel's CPU
 * time, the busy threads' top functions (an idle thread gets none), the GIL column only when
 * it was collected, and the hot spot naming every thread the hottest function ran in.
 */
import { describe, expect, it } from 'vitest';
import {
  SAMPLED_PROFILE_FORMAT,
  type SampledProfile,
  type SampledThread,
} from '../core/concurrency/sampled-profile.js';
import { busyThreads, renderSampled, sampledHotSpot } from './render-sampled.js';

function thread(
  key: string,
  name: string,
  samples: number,
  cpuMs: number,
  selfOfCrunch: number,
): SampledThread {
  return {
    key,
    processKey: 'p3',
    tid: Number(key.slice(1)),
    name,
    samples,
    sampledMs: samples * 10,
    gilSamples: Math.round(samples / 2),
    cpuMs,
    idleMs: samples * 10 - cpuMs,
    functions:
      selfOfCrunch > 0
        ? [{ functionId: 1, selfSamples: selfOfCrunch, totalSamples: selfOfCrunch, gilSamples: null }]
        : [{ functionId: 2, selfSamples: samples, totalSamples: samples, gilSamples: null }],
    callTree: [],
  };
}

function profile(gilCollected = true): SampledProfile {
  const threads = [
    thread('t3', 'MainThread', 100, 2, 0),
    thread('t4', 'cruncher-0', 100, 900, 90),
    thread('t5', 'cruncher-1', 100, 850, 80),
  ];
  if (!gilCollected) for (const t of threads) t.gilSamples = null;
  return {
    format: SAMPLED_PROFILE_FORMAT,
    tool: { name: 'py-spy', version: '0.4.3' },
    rateHz: 100,
    durationMs: 1000,
    sampleCount: 300,
    gilCollected,
    functions: [
      { id: 1, name: 'crunch', file: 'work.py', line: 4, origin: 'user' },
      { id: 2, name: 'Thread.join', file: '/usr/lib/python3.11/threading.py', line: 1100, origin: 'stdlib' },
    ],
    processes: [
      {
        key: 'p3',
        pid: 3,
        parentKey: null,
        command: 'python work.py',
        threadKeys: ['t3', 't4', 't5'],
        samples: 300,
        cpuMs: 1752,
      },
    ],
    threads,
    hot: [
      { threadKey: 't4', functionId: 1, selfSamples: 90 },
      { threadKey: 't5', functionId: 1, selfSamples: 80 },
    ],
    errors: [],
  };
}

describe('renderSampled', () => {
  it('names the hottest function of the learner and every thread it ran in', () => {
    expect(sampledHotSpot(profile())).toBe(
      'Hot spot: crunch (work.py:4) — 170 samples on top of the stack in cruncher-0, cruncher-1 (85.0% of their samples)',
    );
  });

  it('gives function tables to busy threads only, busiest first', () => {
    expect(busyThreads(profile()).map((t) => t.name)).toEqual(['cruncher-0', 'cruncher-1']);
    const text = renderSampled(profile(), 10);
    expect(text).toContain('cruncher-0 — top functions (100 samples)');
    expect(text).not.toContain('MainThread — top functions');
    expect(text).toMatch(/^ {2}cruncher-0 \(4\)\s+100\s+1\.00 s\s+900 ms\s+100 ms\s+50\.0%$/m);
  });

  it('shows a dash for the GIL and says how to get it when it was not collected', () => {
    const text = renderSampled(profile(false), 10);
    expect(text).toMatch(/^ {2}cruncher-0 \(4\)\s+100\s+1\.00 s\s+900 ms\s+100 ms\s+—$/m);
    expect(text).toContain('GIL: not collected');
  });
});
