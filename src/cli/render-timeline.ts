/**
 * The timeline in the terminal: one row per lane (thread, process or asyncio task), a fixed
 * number of columns of equal time, one character per column for the state the lane spent most
 * of that column in. Enough to see ten downloads one after another instead of together, or
 * one pool worker doing all the work; the exact spans are in the trace (`--out x.trace.json`).
 */
import { describeConcurrency } from '../core/concurrency/timeline-overlap.js';
import { LANE_STATES, type LaneState, type Timeline } from '../core/concurrency/timeline.js';
import { colour, formatMs } from './format.js';

/** What each state is drawn with: block shades on a UTF-8 terminal, plain ASCII elsewhere. */
export interface ChartGlyphs {
  state: Record<LaneState, string>;
  /** Before a lane started or after it ended. */
  absent: string;
  edge: string;
}

const BLOCK_GLYPHS: ChartGlyphs = {
  state: { running: '█', 'waiting-io': '░', 'waiting-lock': '▒', idle: ' ' },
  absent: ' ',
  edge: '│',
};
const ASCII_GLYPHS: ChartGlyphs = {
  state: { running: '#', 'waiting-io': '~', 'waiting-lock': '=', idle: ' ' },
  absent: ' ',
  edge: '|',
};

const STATE_WORDS: Record<LaneState, string> = {
  running: 'running',
  'waiting-io': 'waiting on I/O',
  'waiting-lock': 'waiting on a lock or another thread',
  idle: 'idle',
};

/**
 * Block glyphs only where they surely draw: stdout is a terminal, NO_COLOR is unset (a request
 * for plain output) and the locale, when set, says UTF-8. Pipes and files get ASCII.
 */
export function chartGlyphs(
  env: NodeJS.ProcessEnv = process.env,
  isTTY = Boolean(process.stdout.isTTY),
): ChartGlyphs {
  if (!isTTY || env.NO_COLOR) return ASCII_GLYPHS;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return locale === '' || /utf-?8/i.test(locale) ? BLOCK_GLYPHS : ASCII_GLYPHS;
}

export interface LaneChartOptions {
  /** Columns of time (default 60). */
  columns?: number;
  /** At most this many lanes are drawn, the busiest first in their original order (default 16). */
  maxLanes?: number;
  glyphs?: ChartGlyphs;
}

/**
 * The state of each column of one lane: for column c covering [c·w, (c+1)·w) µs, the state
 * with the most time in it, where the part of the lane's life no running or waiting span covers
 * counts as idle; `null` for a column the lane was not alive in at all.
 */
export function laneColumns(timeline: Timeline, lane: number, columns: number): (LaneState | null)[] {
  const widthUs = Math.max(timeline.durationUs, 1) / columns;
  const overlapUs = (c: number, startUs: number, endUs: number) =>
    Math.max(0, Math.min(endUs, (c + 1) * widthUs) - Math.max(startUs, c * widthUs));
  const busy = Array.from({ length: columns }, () => ({ running: 0, 'waiting-io': 0, 'waiting-lock': 0 }));
  const idleSpanSeen = new Array<boolean>(columns).fill(false);
  for (const span of timeline.spans) {
    if (span.lane !== lane || span.durUs <= 0) continue;
    const endUs = span.startUs + span.durUs;
    const first = Math.max(0, Math.floor(span.startUs / widthUs));
    const last = Math.min(columns - 1, Math.ceil(endUs / widthUs) - 1);
    for (let c = first; c <= last; c++) {
      if (span.state === 'idle') idleSpanSeen[c] = true;
      else (busy[c] as Record<typeof span.state, number>)[span.state] += overlapUs(c, span.startUs, endUs);
    }
  }
  const info = timeline.lanes[lane];
  return busy.map((totals, c): LaneState | null => {
    const aliveUs = info ? overlapUs(c, info.startUs, info.endUs) : 0;
    const busyUs = totals.running + totals['waiting-io'] + totals['waiting-lock'];
    if (aliveUs <= 0 && busyUs <= 0 && !idleSpanSeen[c]) return null;
    let best: LaneState = 'idle';
    let bestUs = Math.max(0, aliveUs - busyUs);
    for (const state of ['running', 'waiting-io', 'waiting-lock'] as const) {
      if (totals[state] > bestUs) {
        best = state;
        bestUs = totals[state];
      }
    }
    return best;
  });
}

/** Lanes worth a row: those that did anything but idle, the most active first, kept in order. */
function lanesToDraw(timeline: Timeline, maxLanes: number): number[] {
  const activeUs = (lane: number) => {
    const s = timeline.summary.find((x) => x.lane === lane);
    return s ? s.runningUs + s.waitingIoUs + s.waitingLockUs : 0;
  };
  const all = timeline.lanes.map((_, i) => i);
  const kept = new Set(
    [...all]
      .sort((a, b) => activeUs(b) - activeUs(a))
      .filter((lane, rank) => rank === 0 || activeUs(lane) > 0)
      .slice(0, maxLanes),
  );
  return all.filter((lane) => kept.has(lane));
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** "0 … half … end" under the chart's columns, starting `indent` characters in. */
function timeAxis(durationUs: number, indent: number, columns: number): string {
  const line = ' '.repeat(indent + columns).split('');
  const place = (text: string, at: number) => {
    const from = Math.max(0, Math.min(at, line.length - text.length));
    for (let i = 0; i < text.length; i++) line[from + i] = text[i] as string;
  };
  place('0', indent);
  const end = formatMs(durationUs / 1000);
  const endAt = indent + columns - end.length + 1;
  place(end, endAt);
  // The middle label only where it leaves a space on both sides (narrow charts have no room).
  const half = formatMs(durationUs / 2000);
  const halfAt = indent + Math.floor(columns / 2) - Math.floor(half.length / 2);
  if (halfAt > indent + 1 && halfAt + half.length < endAt - 1) place(half, halfAt);
  return line.join('').trimEnd();
}

/** The chart, its time axis and legend, as lines of text. */
export function renderLaneChart(timeline: Timeline, options: LaneChartOptions = {}): string {
  const columns = options.columns ?? 60;
  const glyphs = options.glyphs ?? chartGlyphs();
  const drawn = lanesToDraw(timeline, options.maxLanes ?? 16);
  const manyProcesses = new Set(timeline.lanes.map((l) => l.pid)).size > 1;
  const labels = drawn.map((i) => {
    const lane = timeline.lanes[i];
    if (!lane) return '';
    return manyProcesses && lane.kind !== 'process' ? `${lane.pid}: ${lane.label}` : lane.label;
  });
  const labelWidth = Math.min(28, Math.max(8, ...labels.map((l) => l.length)));
  const colourOf: Record<LaneState, (s: string) => string> = {
    running: colour.green,
    'waiting-io': colour.yellow,
    'waiting-lock': colour.red,
    idle: (s) => s,
  };
  const stepMs = timeline.durationUs / columns / 1000;
  const source =
    timeline.source === 'viztracer'
      ? 'VizTracer, every call'
      : `py-spy, sampled at ${timeline.sampleRateHz ?? '?'} Hz`;
  const out = [
    colour.bold(
      `Timeline (${source}) · ${formatMs(timeline.durationUs / 1000)} · one column = ${formatMs(stepMs)}`,
    ),
  ];
  drawn.forEach((lane, row) => {
    const cells = laneColumns(timeline, lane, columns)
      .map((state) => (state === null ? glyphs.absent : colourOf[state](glyphs.state[state])))
      .join('');
    out.push(`${fit(labels[row] ?? '', labelWidth)} ${glyphs.edge}${cells}${glyphs.edge}`);
  });
  const left = timeline.lanes.filter((lane, i) => lane.kind !== 'process' && !drawn.includes(i)).length;
  if (left > 0)
    out.push(colour.dim(`… ${left} more lane${left === 1 ? '' : 's'} not drawn (the least active)`));
  out.push(colour.dim(timeAxis(timeline.durationUs, labelWidth + 2, columns)));
  const legend = LANE_STATES.map((state) =>
    state === 'idle' ? '(blank) idle' : `${colourOf[state](glyphs.state[state])} ${STATE_WORDS[state]}`,
  );
  out.push(colour.dim('  ') + legend.join('   '));
  if (timeline.truncated) out.push(colour.dim('  (spans were merged or dropped to keep the timeline small)'));
  for (const note of timeline.notes) out.push(colour.dim(`  note: ${note}`));
  return out.join('\n');
}

/** The lane chart, then one sentence on how many lanes ran or waited at once. */
export function renderConcurrency(timeline: Timeline): string {
  return `${renderLaneChart(timeline)}\n\n${describeConcurrency(timeline)}`;
}
