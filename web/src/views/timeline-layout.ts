/**
 * Pure layout of the timeline view (no DOM): the rows (lanes grouped by process), the time
 * axis ticks, and the spans to draw at one zoom. A run of spans too thin to see is merged into
 * one rectangle of at least MIN_SPAN_PX, coloured by the state that filled most of it, so a
 * lane never draws more rectangles than it has pixels: 20 000 spans stay fast in SVG.
 *
 * Units: `...Us` microseconds since the trace start (as in the Timeline model); `...Px` pixels
 * of the plot area (0 = the window's start).
 */
import type { LaneState, Timeline, TimelineSpan } from '../../../src/core/concurrency/timeline.js';

export interface TimeWindow {
  startUs: number;
  endUs: number;
}

/** A row of the chart: a process heading, or one lane (index into Timeline.lanes). */
export type TimelineRow =
  { kind: 'process'; pid: number; label: string } | { kind: 'lane'; lane: number; label: string };

const KIND_ORDER = { process: 0, thread: 1, task: 2 } as const;

/**
 * Lanes grouped by process (in order of each process's first lane), the process's own lane
 * first, then its threads, then its asyncio tasks; a heading row above every process's lanes
 * when there is more than one process.
 */
export function timelineRows(timeline: Pick<Timeline, 'lanes'>): TimelineRow[] {
  const byPid = new Map<number, number[]>();
  timeline.lanes.forEach((lane, index) => {
    const group = byPid.get(lane.pid);
    if (group) group.push(index);
    else byPid.set(lane.pid, [index]);
  });
  const rows: TimelineRow[] = [];
  for (const [pid, indices] of byPid) {
    const first = timeline.lanes[indices[0] as number];
    if (byPid.size > 1) rows.push({ kind: 'process', pid, label: first?.processLabel ?? `process ${pid}` });
    const sorted = [...indices].sort(
      (a, b) => KIND_ORDER[timeline.lanes[a]!.kind] - KIND_ORDER[timeline.lanes[b]!.kind] || a - b,
    );
    for (const lane of sorted) rows.push({ kind: 'lane', lane, label: timeline.lanes[lane]!.label });
  }
  return rows;
}

/** Axis ticks at a round step (1, 2 or 5 × 10^k µs), at most about `maxTicks` in the window. */
export function timeTicks(window: TimeWindow, maxTicks: number): number[] {
  const span = window.endUs - window.startUs;
  if (!(span > 0) || maxTicks < 1) return [];
  const rough = span / maxTicks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(window.startUs / step) * step; t <= window.endUs; t += step) ticks.push(t);
  return ticks;
}

/** A tick's label in the unit that suits the window: "250 µs", "12.5 ms", "1.25 s". */
export function formatTickUs(us: number, windowUs: number): string {
  if (windowUs >= 2_000_000) return `${trim(us / 1_000_000)} s`;
  if (windowUs >= 2_000) return `${trim(us / 1000)} ms`;
  return `${trim(us)} µs`;
}

const trim = (value: number): string => String(Number(value.toFixed(3)));

/** A drawn rectangle: one span, or several too thin to see merged (`count` > 1). */
export interface DrawnSpan {
  /** The span hovering or focusing shows: the one itself, or the longest of a merged run. */
  span: number;
  count: number;
  state: LaneState;
  xPx: number;
  widthPx: number;
}

/** Narrower runs of spans are merged until they reach this width. */
export const MIN_SPAN_PX = 2;

/** Index of the first span of `indices` (sorted by start) that ends after `us`. */
function firstEndingAfter(spans: readonly TimelineSpan[], indices: readonly number[], us: number): number {
  let lo = 0;
  let hi = indices.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const span = spans[indices[mid] as number] as TimelineSpan;
    // Spans of a lane never overlap, so their ends are sorted too.
    if (span.startUs + span.durUs <= us) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Span indices per lane, in start order (the model keeps each lane's spans sorted). */
export function spansByLane(timeline: Pick<Timeline, 'lanes' | 'spans'>): number[][] {
  const lanes: number[][] = timeline.lanes.map(() => []);
  timeline.spans.forEach((span, index) => lanes[span.lane]?.push(index));
  return lanes;
}

/** The rectangles of one lane in `window`, drawn `widthPx` wide. */
export function drawLane(
  spans: readonly TimelineSpan[],
  laneSpans: readonly number[],
  window: TimeWindow,
  widthPx: number,
): DrawnSpan[] {
  const windowUs = window.endUs - window.startUs;
  if (!(windowUs > 0) || widthPx <= 0) return [];
  const pxPerUs = widthPx / windowUs;
  const drawn: DrawnSpan[] = [];
  let run: (DrawnSpan & { byState: Map<LaneState, number>; longestUs: number }) | null = null;
  const flush = () => {
    if (!run) return;
    let best: LaneState = run.state;
    let bestUs = -1;
    for (const [state, us] of run.byState)
      if (us > bestUs) {
        best = state;
        bestUs = us;
      }
    drawn.push({ span: run.span, count: run.count, state: best, xPx: run.xPx, widthPx: run.widthPx });
    run = null;
  };
  for (let i = firstEndingAfter(spans, laneSpans, window.startUs); i < laneSpans.length; i++) {
    const index = laneSpans[i] as number;
    const span = spans[index] as TimelineSpan;
    if (span.startUs >= window.endUs) break;
    const x0 = Math.max(0, (span.startUs - window.startUs) * pxPerUs);
    const x1 = Math.min(widthPx, (span.startUs + span.durUs - window.startUs) * pxPerUs);
    if (x1 - x0 >= MIN_SPAN_PX) {
      flush();
      drawn.push({ span: index, count: 1, state: span.state, xPx: x0, widthPx: x1 - x0 });
      continue;
    }
    if (!run) {
      run = {
        span: index,
        count: 0,
        state: span.state,
        xPx: x0,
        widthPx: 0,
        byState: new Map(),
        longestUs: -1,
      };
    }
    run.count += 1;
    run.widthPx = Math.max(run.widthPx, x1 - run.xPx);
    run.byState.set(span.state, (run.byState.get(span.state) ?? 0) + span.durUs);
    if (span.durUs > run.longestUs) {
      run.longestUs = span.durUs;
      run.span = index;
    }
    if (run.widthPx >= MIN_SPAN_PX) flush();
  }
  flush();
  return drawn;
}

/** The window zoomed by `factor` (< 1 zooms in) around `centreUs`, kept inside the trace. */
export function zoomWindow(
  window: TimeWindow,
  factor: number,
  centreUs: number,
  durationUs: number,
): TimeWindow {
  const minUs = Math.min(durationUs, 10);
  const width = Math.min(durationUs, Math.max(minUs, (window.endUs - window.startUs) * factor));
  return clampWindow(centreUs - width / 2, width, durationUs);
}

/** The window between two points of the plot (a drag), at least a few pixels' worth. */
export function windowBetween(aUs: number, bUs: number, durationUs: number): TimeWindow {
  const start = Math.min(aUs, bUs);
  const width = Math.max(Math.abs(aUs - bUs), Math.min(durationUs, 10));
  return clampWindow(start, width, durationUs);
}

function clampWindow(startUs: number, widthUs: number, durationUs: number): TimeWindow {
  const start = Math.min(Math.max(0, startUs), Math.max(0, durationUs - widthUs));
  return { startUs: start, endUs: start + widthUs };
}

/** The span a key moves keyboard focus to: along the lane (←/→, Home/End) or to the row above/below. */
export function spanForKey(
  timeline: Pick<Timeline, 'spans'>,
  byLane: readonly (readonly number[])[],
  laneOrder: readonly number[],
  current: number,
  key: string,
): number | null {
  const span = timeline.spans[current];
  if (!span) return null;
  const inLane = byLane[span.lane] ?? [];
  const position = inLane.indexOf(current);
  switch (key) {
    case 'ArrowRight':
      return inLane[position + 1] ?? null;
    case 'ArrowLeft':
      return inLane[position - 1] ?? null;
    case 'Home':
      return inLane[0] ?? null;
    case 'End':
      return inLane[inLane.length - 1] ?? null;
    case 'ArrowUp':
    case 'ArrowDown': {
      const row = laneOrder.indexOf(span.lane);
      const step = key === 'ArrowUp' ? -1 : 1;
      for (let r = row + step; r >= 0 && r < laneOrder.length; r += step) {
        const other = byLane[laneOrder[r] as number] ?? [];
        if (other.length === 0) continue;
        // The span of that lane running at the same moment, else the nearest before it.
        const mid = span.startUs + span.durUs / 2;
        let best = other[0] as number;
        for (const index of other) {
          if ((timeline.spans[index] as TimelineSpan).startUs > mid) break;
          best = index;
        }
        return best;
      }
      return null;
    }
    default:
      return null;
  }
}

export const STATE_LABELS: Record<LaneState, string> = {
  running: 'running',
  'waiting-io': 'waiting on I/O',
  'waiting-lock': 'waiting on a lock',
  idle: 'idle',
};
