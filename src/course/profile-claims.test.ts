/** Deciding profile-block claims on small, hand-made views: structure decides, timings do not. */
import { describe, expect, it } from 'vitest';
import type { ProfileClaim } from '../core/course.js';
import type { SampledProfile } from '../core/concurrency/sampled-profile.js';
import { TIMELINE_FORMAT, type LaneState, type Timeline } from '../core/concurrency/timeline.js';
import type { MemoryFrame, MemoryTreeNode } from '../core/documents.js';
import { timelineFromVizTracer } from '../core/concurrency/timeline-viztracer.js';
import { decideClaim, type ClaimViews } from './profile-claims.js';
import { parseClaim } from './profile-blocks.js';

const claim = (text: string) => parseClaim(text, 7) as ProfileClaim;
const none: ClaimViews = { sampled: null, timeline: null, memray: null };

/** Ten thread lanes, each waiting 100 ms: one after another, or all from the same instant. */
function downloads(together: boolean, state: LaneState = 'waiting-io'): Timeline {
  const lanes = Array.from({ length: 10 }, (_, i) => ({
    id: `p1/t${i + 2}`,
    kind: 'thread' as const,
    label: `Thread-${i + 1} (download)`,
    pid: 1,
    processLabel: 'main',
    tid: i + 2,
    startUs: 0,
    endUs: 1_000_000,
  }));
  const spans = lanes.map((_, lane) => ({
    lane,
    // Back to back when serial: a span ending as the next begins is not an overlap.
    startUs: together ? 1000 : lane * 100_000,
    durUs: 100_000,
    state,
    label: 'time.sleep',
    stack: [],
  }));
  return { format: TIMELINE_FORMAT, source: 'viztracer', sampleRateHz: null, durationUs: 1_000_000, lanes, spans, summary: [], truncated: false, notes: [] };
}

/** A program whose hottest function ran mostly in `where` (thread keys: main t1, worker t2, child process p2). */
function sampled(where: 'main' | 'worker' | 'child'): SampledProfile {
  const fnOn = (threadKey: string) => (where === 'main' ? 'p1/t1' : where === 'worker' ? 'p1/t2' : 'p2/t1') === threadKey;
  const thread = (key: string, processKey: string, tid: number, name: string) => ({
    key,
    processKey,
    tid,
    name,
    samples: 100,
    sampledMs: 1000,
    gilSamples: null,
    cpuMs: null,
    idleMs: null,
    functions: [
      { functionId: 1, selfSamples: fnOn(key) ? 90 : 0, totalSamples: fnOn(key) ? 90 : 0, gilSamples: null },
      { functionId: 2, selfSamples: 5, totalSamples: 100, gilSamples: null },
    ],
    callTree: [],
  });
  return {
    format: 'perflab.sampled/1',
    tool: { name: 'py-spy', version: '0.4.3' },
    rateHz: 100,
    durationMs: 1000,
    sampleCount: 300,
    gilCollected: false,
    functions: [
      { id: 1, name: 'denoise', file: 'main.py', line: 3, origin: 'user' },
      { id: 2, name: 'main', file: 'main.py', line: 9, origin: 'user' },
    ],
    processes: [
      { key: 'p1', pid: 1, parentKey: null, command: 'python main.py', threadKeys: ['p1/t1', 'p1/t2'], samples: 200, cpuMs: null },
      { key: 'p2', pid: 5, parentKey: 'p1', command: 'python (worker)', threadKeys: ['p2/t1'], samples: 100, cpuMs: null },
    ],
    threads: [thread('p1/t1', 'p1', 1, 'MainThread'), thread('p1/t2', 'p1', 2, 'Thread-1'), thread('p2/t1', 'p2', 5, 'MainThread')],
    hot: [{ threadKey: where === 'main' ? 'p1/t1' : where === 'worker' ? 'p1/t2' : 'p2/t1', functionId: 1, selfSamples: 90 }],
    errors: [],
  };
}

const frame = (name: string, origin: MemoryFrame['origin'] = 'user'): MemoryFrame => ({ name, file: origin === 'user' ? 'main.py' : 'x.c', line: 1, origin, native: origin !== 'user' });
const node = (f: MemoryFrame | null, bytes: number, children: MemoryTreeNode[] = []): MemoryTreeNode => ({ frame: f, bytes, allocations: 1, children });

function memray(): NonNullable<ClaimViews['memray']> {
  // main → build_index (30 MB, through a native frame) and main → remember (6 MB).
  const tree = node(null, 36e6, [
    node(frame('main'), 36e6, [node(frame('build_index'), 30e6, [node(frame('PyList_Append', 'builtin'), 30e6)]), node(frame('remember'), 6e6)]),
  ]);
  return {
    mode: 'memray',
    tracer: { name: 'memray', version: '1.20.0' },
    nativeTraces: true,
    peakBytes: 36e6,
    peakAllocations: 10,
    totalAllocatedBytes: 80e6,
    peakTree: tree,
    leaks: [
      { bytes: 9e6, allocations: 3, frames: [frame('malloc', 'builtin')] },
      { bytes: 6e6, allocations: 60_000, frames: [frame('PyUnicode_New', 'builtin'), frame('remember'), frame('main')] },
    ],
    leakedBytes: 15e6,
    captureBytes: 0,
  } as unknown as NonNullable<ClaimViews['memray']>;
}

describe('profile claims', () => {
  it('tells ten downloads in a row from ten together by counting lanes', () => {
    const serialClaim = claim('concurrency: serial in waiting-io');
    const tenClaim = claim('concurrency: overlapping 10 in waiting-io');
    expect(decideClaim(serialClaim, { ...none, timeline: downloads(false) })).toMatchObject({ ok: true, line: 7 });
    expect(decideClaim(tenClaim, { ...none, timeline: downloads(false) })).toMatchObject({
      ok: false,
      detail: 'at most 1 lane was waiting-io at once (at 0 ms)',
    });
    expect(decideClaim(tenClaim, { ...none, timeline: downloads(true) })).toMatchObject({ ok: true, detail: 'at most 10 lanes were waiting-io at once (at 1 ms)' });
    expect(decideClaim(serialClaim, { ...none, timeline: downloads(true) }).ok).toBe(false);
    // Without a state, running and waiting-io count; lanes waiting on a lock (join) do not.
    expect(decideClaim(claim('concurrency: serial'), { ...none, timeline: downloads(true, 'waiting-lock') }).ok).toBe(true);
    expect(decideClaim(claim('concurrency: overlapping'), { ...none, timeline: downloads(true, 'running') }).ok).toBe(true);
    expect(decideClaim(serialClaim, none)).toMatchObject({ ok: false, detail: 'the run has no timeline' });
  });

  it('names the hottest function and whether it ran in worker threads, child processes or the main thread', () => {
    const inThreads = claim('hot: denoise in threads');
    expect(decideClaim(inThreads, { ...none, sampled: sampled('worker') })).toMatchObject({
      ok: true,
      detail: "the hottest function of the example's code is denoise, mostly in worker threads",
    });
    expect(decideClaim(inThreads, { ...none, sampled: sampled('child') })).toMatchObject({ ok: false, detail: expect.stringContaining('mostly in child processes') });
    expect(decideClaim(claim('hot: denoise in processes'), { ...none, sampled: sampled('child') }).ok).toBe(true);
    expect(decideClaim(claim('hot: denoise in the main thread'), { ...none, sampled: sampled('main') }).ok).toBe(true);
    expect(decideClaim(claim('hot: denoise'), { ...none, sampled: sampled('main') }).ok).toBe(true);
    expect(decideClaim(claim('hot: main'), { ...none, sampled: sampled('worker') }).ok).toBe(false);
    const empty = { ...sampled('worker'), hot: [] };
    expect(decideClaim(inThreads, { ...none, sampled: empty }).detail).toContain("no sample landed in the example's own code");
  });

  it('finds the function behind the memory peak and the largest leak of the example', () => {
    expect(decideClaim(claim('peak-in: build_index'), { ...none, memray: memray() })).toMatchObject({ ok: true, detail: 'most of the peak was allocated in build_index' });
    expect(decideClaim(claim('peak-in: remember'), { ...none, memray: memray() }).ok).toBe(false);
    // The larger leak has no frame of the example's code; the claim is about the example's own.
    expect(decideClaim(claim('leak-in: remember'), { ...none, memray: memray() })).toMatchObject({ ok: true, detail: 'the largest memory never freed was allocated in remember' });
    expect(decideClaim(claim('leak-in: build_index'), { ...none, memray: memray() }).ok).toBe(false);
    expect(decideClaim(claim('leak-in: remember'), { ...none, memray: { ...memray(), leaks: [] } }).ok).toBe(false);
  });
});

describe('claims on a VizTracer trace', () => {
  it('counts a thread whose trace ends inside its sleep as waiting, not running', () => {
    // Two threads sleeping at once; neither records a call after its sleep (the trace just ends).
    const events = [3, 4].flatMap((tid) => [
      { ph: 'X', pid: 1, tid, ts: 1000, dur: 100_000, name: 'fetch (main.py:4)' },
      { ph: 'X', pid: 1, tid, ts: 1001, dur: 99_998, name: 'time.sleep' },
    ]);
    const timeline = timelineFromVizTracer(events, { droppedEvents: 0 });
    expect(decideClaim(claim('concurrency: overlapping 2 in waiting-io'), { ...none, timeline })).toMatchObject({ ok: true });
  });
});
