/**
 * memray's result in the terminal: the peak and the total allocated, the call stacks holding
 * the most memory at the peak (innermost frame first, the learner's frames highlighted), and
 * the allocations never freed. memray's figures come from inside the learner's process:
 * shown, never judged on.
 */
import Table from 'cli-table3';
import { topPeakStacks } from '../core/concurrency/memory-flame.js';
import type { MemoryFrame, MemoryLeak } from '../core/documents.js';
import { location } from '../core/names.js';
import type { MemrayView } from '../runner/concurrency-profile.js';
import { colour, formatBytes, formatCount } from './format.js';
import { PLAIN_TABLE } from './render-profile.js';

/** Frames shown per stack: the innermost ones, where the allocation happened. */
const FRAMES_PER_STACK = 4;

function frameLabel(frame: MemoryFrame): string {
  const where = frame.native ? colour.dim('native') : colour.dim(location(frame));
  const text = `${frame.name}${where ? `  ${where}` : ''}`;
  return frame.origin === 'user' && !frame.native ? colour.bold(colour.cyan(text)) : text;
}

/** A stack as lines, innermost first: the learner's first frame is always kept in view. */
function stackLines(frames: readonly MemoryFrame[]): string {
  const shown = frames.slice(0, FRAMES_PER_STACK);
  const learner = frames.findIndex((f) => f.origin === 'user' && !f.native);
  if (learner >= FRAMES_PER_STACK) shown.push(frames[learner] as MemoryFrame);
  const lines = shown.map((f, i) => `${i === 0 ? '' : '← '}${frameLabel(f)}`);
  const more = frames.length - shown.length;
  if (more > 0) lines.push(colour.dim(`  (${more} more frame${more === 1 ? '' : 's'})`));
  return lines.join('\n');
}

/** Rows of stacks, each with its frames innermost first. */
function stackTable(rows: readonly MemoryLeak[]): string {
  const table = new Table({
    ...PLAIN_TABLE,
    head: ['size', 'allocations', 'stack (innermost first)'].map((h) => colour.bold(h)),
    colAligns: ['right', 'right', 'left'],
    // Cells span several lines; the rows need a gap between them to read as separate stacks.
    chars: { ...PLAIN_TABLE.chars, mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows)
    table.push([formatBytes(row.bytes), formatCount(row.allocations), stackLines(row.frames)]);
  return table.toString();
}

/** Stacks below this share of the whole are summed into one line: they are noise next to the big ones. */
const MIN_SHARE = 0.01;

/** The rows worth reading (at most `top`, each ≥ 1% of `wholeBytes`) and a line for the rest. */
function significant<T extends { bytes: number }>(
  rows: readonly T[],
  wholeBytes: number,
  top: number,
): { shown: T[]; rest: string | null } {
  const shown = rows.filter((r, i) => i === 0 || r.bytes >= wholeBytes * MIN_SHARE).slice(0, top);
  const others = rows.slice(shown.length);
  const restBytes = others.reduce((sum, r) => sum + r.bytes, 0);
  const rest =
    others.length > 0
      ? colour.dim(
          `and ${others.length} smaller stack${others.length === 1 ? '' : 's'}, ${formatBytes(restBytes)} together`,
        )
      : null;
  return { shown, rest };
}

export function renderMemray(memray: MemrayView, top: number): string {
  // topPeakStacks gives frames outermost first; the table reads from the allocation outwards.
  const peakStacks = topPeakStacks(memray.peakTree, Number.MAX_SAFE_INTEGER).map((s) => ({
    ...s,
    frames: [...s.frames].reverse(),
  }));
  const peak = significant(peakStacks, memray.peakBytes, top);
  const out = [
    colour.bold(
      `Memory (memray ${memray.tracer.version}${memray.nativeTraces ? ', native frames included' : ''}): ` +
        `peak ${formatBytes(memray.peakBytes)} in ${formatCount(memray.peakAllocations)} allocations, ` +
        `${formatBytes(memray.totalAllocatedBytes)} allocated over the run`,
    ),
    '',
    'Where the memory at the peak was allocated:',
    stackTable(peak.shown),
  ];
  if (peak.rest) out.push(peak.rest);
  if (memray.leaks.length === 0) {
    out.push('', 'Nothing allocated was left unfreed at exit.');
  } else {
    const leaks = significant(memray.leaks, memray.leakedBytes, top);
    out.push(
      '',
      `Never freed before exit: ${formatBytes(memray.leakedBytes)} (largest first)`,
      stackTable(leaks.shown),
    );
    if (leaks.rest) out.push(leaks.rest);
  }
  return out.join('\n');
}
