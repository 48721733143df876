/**
 * Test data for the concurrency views, shaped like the real models: the timeline of an
 * asyncio program whose ten fetches ran one after another (a blocking call inside async code),
 * a timeline of 20 000 spans for the drawing budget, py-spy's profile of four worker threads
 * crunching numbers while the main thread waits in join, and memray's peak of a program that
 * hoards lists. Imported only by *.test.ts files.
 */
import type { ProfileResultView } from '../../../src/core/api.js';
import type { SampledProfile, SampledThread } from '../../../src/core/concurrency/sampled-profile.js';
import {
  TIMELINE_FORMAT,
  type LaneState,
  type Timeline,
  type TimelineFrame,
  type TimelineLane,
  type TimelineSpan,
} from '../../../src/core/concurrency/timeline.js';
import type { MemoryFrame, MemoryTreeNode } from '../../../src/core/documents.js';

const PROGRAM = 'main.py';
const frame = (name: string, line: number, origin: TimelineFrame['origin'] = 'user', file = PROGRAM) => ({
  name,
  file,
  line,
  origin,
});

function summarise(lanes: readonly TimelineLane[], spans: readonly TimelineSpan[]): Timeline['summary'] {
  return lanes.map((_, lane) => {
    const sum = (state: LaneState) =>
      spans.filter((s) => s.lane === lane && s.state === state).reduce((total, s) => total + s.durUs, 0);
    return {
      lane,
      runningUs: sum('running'),
      waitingIoUs: sum('waiting-io'),
      waitingLockUs: sum('waiting-lock'),
      idleUs: sum('idle'),
    };
  });
}

/** blocking-in-async's starter: ten fetch tasks, each waiting 100 ms on I/O, one after another. */
export function serialFetchTimeline(): Timeline {
  const lanes: TimelineLane[] = [
    {
      id: 'p1/t1',
      kind: 'thread',
      label: 'MainThread',
      pid: 1,
      processLabel: 'process 1 (main.py)',
      tid: 1,
      startUs: 0,
      endUs: 1_020_000,
    },
    ...Array.from({ length: 10 }, (_, i) => ({
      id: `p1/task${i + 1}`,
      kind: 'task' as const,
      label: `Task fetch_panel('panel-${i}')`,
      pid: 1,
      processLabel: 'process 1 (main.py)',
      tid: 1,
      startUs: 10_000,
      endUs: 1_010_000,
    })),
  ];
  const spans: TimelineSpan[] = [
    {
      lane: 0,
      startUs: 0,
      durUs: 10_000,
      state: 'running',
      label: 'main',
      stack: [frame('<module>', 1), frame('main', 20)],
    },
    {
      lane: 0,
      startUs: 10_000,
      durUs: 1_000_000,
      state: 'idle',
      label: 'run_until_complete',
      stack: [frame('<module>', 1), frame('main', 22)],
    },
    {
      lane: 0,
      startUs: 1_010_000,
      durUs: 10_000,
      state: 'running',
      label: 'main',
      stack: [frame('<module>', 1), frame('main', 24)],
    },
  ];
  for (let i = 0; i < 10; i++) {
    const startUs = 10_000 + i * 100_000;
    if (i > 0)
      spans.push({
        lane: i + 1,
        startUs: 10_000,
        durUs: startUs - 10_000,
        state: 'idle',
        label: 'fetch_panel',
        stack: [],
      });
    spans.push({
      lane: i + 1,
      startUs,
      durUs: 100_000,
      state: 'waiting-io',
      label: 'fetch_panel',
      stack: [frame('fetch_panel', 9), frame('sleep', 0, 'builtin', '~')],
    });
  }
  spans.sort((a, b) => a.lane - b.lane || a.startUs - b.startUs);
  return {
    format: TIMELINE_FORMAT,
    source: 'viztracer',
    sampleRateHz: null,
    durationUs: 1_020_000,
    lanes,
    spans,
    summary: summarise(lanes, spans),
    truncated: false,
    notes: [],
  };
}

const STATES: readonly LaneState[] = ['running', 'waiting-io', 'waiting-lock', 'idle'];

/** `count` spans of 50 µs over four threads, states in turn: the size the view must stay fast at. */
export function denseTimeline(count: number): Timeline {
  const laneCount = 4;
  const lanes: TimelineLane[] = Array.from({ length: laneCount }, (_, i) => ({
    id: `p1/t${i + 1}`,
    kind: 'thread',
    label: i === 0 ? 'MainThread' : `worker-${i}`,
    pid: 1,
    processLabel: 'process 1',
    tid: i + 1,
    startUs: 0,
    endUs: (count / laneCount) * 50,
  }));
  const spans: TimelineSpan[] = [];
  for (let lane = 0; lane < laneCount; lane++)
    for (let k = 0; k < count / laneCount; k++)
      spans.push({
        lane,
        startUs: k * 50,
        durUs: 50,
        state: STATES[(k + lane) % 4] as LaneState,
        label: `step_${k % 7}`,
        stack: [frame(`step_${k % 7}`, 3)],
      });
  return {
    format: TIMELINE_FORMAT,
    source: 'py-spy',
    sampleRateHz: 100,
    durationUs: (count / laneCount) * 50,
    lanes,
    spans,
    summary: summarise(lanes, spans),
    truncated: false,
    notes: [],
  };
}

/** threads-for-cpu: four workers run crunch (user) for 1 s each; the main thread waits in join. */
export function threadsSampledProfile(): SampledProfile {
  const functions = [
    { id: 0, name: '<module>', file: PROGRAM, line: 1, origin: 'user' as const },
    { id: 1, name: 'main', file: PROGRAM, line: 14, origin: 'user' as const },
    { id: 2, name: 'join', file: '/usr/lib/python3.11/threading.py', line: 1112, origin: 'stdlib' as const },
    { id: 3, name: 'run', file: '/usr/lib/python3.11/threading.py', line: 982, origin: 'stdlib' as const },
    { id: 4, name: 'crunch', file: PROGRAM, line: 5, origin: 'user' as const },
  ];
  const worker = (n: number): SampledThread => ({
    key: `p1/t${n + 1}`,
    processKey: 'p1',
    tid: 100 + n,
    name: `worker-${n}`,
    samples: 100,
    sampledMs: 1000,
    gilSamples: 25,
    cpuMs: 990,
    idleMs: 10,
    functions: [
      { functionId: 3, selfSamples: 0, totalSamples: 100, gilSamples: 25 },
      { functionId: 4, selfSamples: 100 - n, totalSamples: 100, gilSamples: 25 },
    ],
    callTree: [
      {
        functionId: 3,
        totalMs: 1000,
        selfMs: 0,
        children: [{ functionId: 4, totalMs: 1000, selfMs: 1000, children: [] }],
      },
    ],
  });
  const main: SampledThread = {
    key: 'p1/t1',
    processKey: 'p1',
    tid: 1,
    name: 'MainThread',
    samples: 100,
    sampledMs: 1000,
    gilSamples: 1,
    cpuMs: 12,
    idleMs: 988,
    functions: [
      { functionId: 0, selfSamples: 0, totalSamples: 100, gilSamples: 1 },
      { functionId: 1, selfSamples: 0, totalSamples: 100, gilSamples: 1 },
      { functionId: 2, selfSamples: 100, totalSamples: 100, gilSamples: 1 },
    ],
    callTree: [
      {
        functionId: 0,
        totalMs: 1000,
        selfMs: 0,
        children: [
          {
            functionId: 1,
            totalMs: 1000,
            selfMs: 0,
            children: [{ functionId: 2, totalMs: 1000, selfMs: 1000, children: [] }],
          },
        ],
      },
    ],
  };
  const threads = [main, worker(1), worker(2), worker(3), worker(4)];
  return {
    format: 'perflab.sampled/1',
    tool: { name: 'py-spy', version: '0.4.3' },
    rateHz: 100,
    durationMs: 1050,
    sampleCount: 500,
    gilCollected: true,
    functions,
    processes: [
      {
        key: 'p1',
        pid: 1,
        parentKey: null,
        command: 'python main.py',
        threadKeys: threads.map((t) => t.key),
        samples: 500,
        cpuMs: 3972,
      },
    ],
    threads,
    hot: threads
      .slice(1)
      .map((t) => ({ threadKey: t.key, functionId: 4, selfSamples: t.functions[1]!.selfSamples })),
    errors: [],
  };
}

const mframe = (
  name: string,
  line: number,
  origin: MemoryFrame['origin'] = 'user',
  native = false,
  file = PROGRAM,
): MemoryFrame => ({
  name,
  file,
  line,
  origin,
  native,
});
const node = (
  f: MemoryFrame | null,
  bytes: number,
  allocations: number,
  children: MemoryTreeNode[] = [],
): MemoryTreeNode => ({
  frame: f,
  bytes,
  allocations,
  children,
});

/** A program whose hoard() keeps 40 MiB of lists alive (the list growth in C, marked native). */
export function hoardMemray(): NonNullable<ProfileResultView['memray']> {
  const MiB = 1024 * 1024;
  const peakTree = node(null, 42 * MiB, 1200, [
    node(mframe('<module>', 1), 42 * MiB, 1200, [
      node(mframe('main', 20), 42 * MiB, 1200, [
        node(mframe('hoard', 6), 40 * MiB, 1000, [
          node(mframe('list_resize', 0, 'builtin', true, '/perflab/venv/bin/python3.11'), 30 * MiB, 400, [
            node(mframe('malloc', 0, 'builtin', true, '/lib/x86_64-linux-gnu/libc.so.6'), 30 * MiB, 400),
          ]),
        ]),
        node(mframe('load_config', 12), 2 * MiB, 200),
      ]),
    ]),
  ]);
  return {
    mode: 'memray',
    tracer: { name: 'memray', version: '1.20.0' },
    nativeTraces: true,
    peakBytes: 42 * MiB,
    peakAllocations: 1200,
    totalAllocatedBytes: 120 * MiB,
    peakTree,
    leaks: [
      {
        bytes: 40 * MiB,
        allocations: 1000,
        frames: [mframe('hoard', 6), mframe('main', 20), mframe('<module>', 1)],
      },
      { bytes: 4096, allocations: 1, frames: [] },
    ],
    leakedBytes: 40 * MiB + 4096,
    captureBytes: 3 * MiB,
  } as NonNullable<ProfileResultView['memray']>;
}
