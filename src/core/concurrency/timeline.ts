/**
 * The timeline model: threads, processes and asyncio tasks as lanes over time, each lane cut
 * into spans of one state. Built from Chrome trace events — VizTracer's exact ones (timeline
 * mode) or py-spy's sampled ones (sampling, verification evidence) — by pure functions here;
 * the web view, the terminal and the verification report all draw this one model.
 *
 * Units: every `...Us` is microseconds since the start of the trace (the earliest event).
 * Invariants: spans of one lane never overlap and are sorted by `startUs`; `lane` indexes
 * `Timeline.lanes`; `stack` is outermost frame first.
 */
import type { CodeOrigin } from '../documents.js';

export const TIMELINE_FORMAT = 'perflab.timeline/1';

/**
 * What a lane was doing during a span.
 * - running: executing (VizTracer: inside a Python call; py-spy: a sample that held the GIL,
 *   or — without GIL data — any sample not classified as waiting).
 * - waiting-io: blocked in I/O or a sleep (socket, select, file read, time.sleep, subprocess pipe).
 * - waiting-lock: blocked on another thread or process (Lock.acquire, Condition/Event.wait,
 *   Thread.join, Queue.get, Future.result, a pool's result).
 * - idle: alive but nothing recorded (between calls, or an event loop with nothing ready).
 */
export const LANE_STATES = ['running', 'waiting-io', 'waiting-lock', 'idle'] as const;
export type LaneState = (typeof LANE_STATES)[number];

export interface TimelineLane {
  /** Stable within one timeline: `p<pid>`, `p<pid>/t<tid>`, `p<pid>/task<id>`. */
  id: string;
  kind: 'process' | 'thread' | 'task';
  /** "MainThread", "ThreadPoolExecutor-0_1", "Task fetch_panel('orders')", "process 3 (worker)". */
  label: string;
  /** The process as the program saw it (the sandbox's pid when known). */
  pid: number;
  processLabel: string;
  /** Thread id as the program saw it (threading.get_native_id), when known. */
  tid: number | null;
  startUs: number;
  endUs: number;
}

export interface TimelineFrame {
  name: string;
  file: string;
  line: number;
  origin: CodeOrigin;
}

export interface TimelineSpan {
  lane: number;
  startUs: number;
  durUs: number;
  state: LaneState;
  /** The call to name on hover: the innermost learner frame, else the innermost frame. */
  label: string;
  /** Outermost first, at most TIMELINE_MAX_STACK frames (innermost kept). */
  stack: TimelineFrame[];
}

export interface LaneSummary {
  lane: number;
  runningUs: number;
  waitingIoUs: number;
  waitingLockUs: number;
  idleUs: number;
}

export interface Timeline {
  format: typeof TIMELINE_FORMAT;
  source: 'viztracer' | 'py-spy';
  /** py-spy: samples per second; VizTracer: null (exact). */
  sampleRateHz: number | null;
  durationUs: number;
  lanes: TimelineLane[];
  spans: TimelineSpan[];
  summary: LaneSummary[];
  /** Spans were merged or dropped to stay within the size cap. */
  truncated: boolean;
  /** Why the timeline is partial, in a sentence each (events dropped, sampler errors). */
  notes: string[];
}

export const TIMELINE_MAX_STACK = 24;
