/** Terminal rendering of profile, line and memory results: aligned, learner's code highlighted. */
import Table from 'cli-table3';
import type { CallEdge, FunctionLineTimings, HarnessResultOf, ProfiledFunction } from '../core/documents.js';
import { peakSitesCaveat } from '../core/memory-report.js';
import { displayName, location } from '../core/names.js';
import { sortFunctions, type ProfileSortKey } from '../core/profile-model.js';
import { colour, formatBytes, formatCount, formatMs, formatPercent } from './format.js';

export const PLAIN_TABLE = {
  chars: {
    top: '',
    'top-mid': '',
    'top-left': '',
    'top-right': '',
    bottom: '',
    'bottom-mid': '',
    'bottom-left': '',
    'bottom-right': '',
    left: '',
    'left-mid': '',
    mid: '',
    'mid-mid': '',
    right: '',
    'right-mid': '',
    middle: '  ',
  },
  style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
};

function originTag(fn: ProfiledFunction): string {
  switch (fn.origin) {
    case 'user':
      return colour.cyan('your code');
    case 'builtin':
      return colour.dim('built-in');
    case 'stdlib':
      return colour.dim('stdlib');
    case 'site-packages':
      return colour.dim('package');
  }
}

function functionLabel(fn: ProfiledFunction): string {
  const name = displayName(fn);
  const where = location(fn);
  const label = where ? `${name}  ${colour.dim(where)}` : name;
  return fn.origin === 'user' ? colour.bold(colour.cyan(label)) : label;
}

export interface HotSpot {
  fn: ProfiledFunction;
  shareOfTotal: number;
  topCaller: ProfiledFunction | null;
}

/** The function with the most own time: the first place to look. */
export function findHotSpot(doc: HarnessResultOf<'profile'>): HotSpot | null {
  const candidates = doc.functions.filter((f) => f.name !== '<module>');
  if (candidates.length === 0) return null;
  const fn = sortFunctions(candidates, 'tottime')[0] as ProfiledFunction;
  const callers = doc.edges
    .filter((e: CallEdge) => e.calleeId === fn.id)
    .sort((a, b) => b.cumtimeMs - a.cumtimeMs);
  const topCaller = callers[0] ? (doc.functions.find((f) => f.id === callers[0]?.callerId) ?? null) : null;
  return { fn, shareOfTotal: doc.totalMs > 0 ? fn.tottimeMs / doc.totalMs : 0, topCaller };
}

export function renderProfile(doc: HarnessResultOf<'profile'>, sort: ProfileSortKey, top: number): string {
  const totalCalls = doc.functions.reduce((sum, f) => sum + f.ncalls, 0);
  const primitive = doc.functions.reduce((sum, f) => sum + f.primitiveCalls, 0);
  const lines: string[] = [];
  lines.push(
    `${colour.bold(formatCount(totalCalls))} function calls` +
      (primitive !== totalCalls ? ` (${formatCount(primitive)} primitive)` : '') +
      ` in ${colour.bold(formatMs(doc.totalMs))} · ${doc.functions.length} functions · sorted by ${sort}`,
  );
  const table = new Table({
    ...PLAIN_TABLE,
    head: ['ncalls', 'tottime', 'percall', 'cumtime', 'percall', 'function', ''].map((h) => colour.bold(h)),
    colAligns: ['right', 'right', 'right', 'right', 'right', 'left', 'left'],
  });
  for (const fn of sortFunctions(doc.functions, sort).slice(0, top)) {
    const calls =
      fn.ncalls === fn.primitiveCalls
        ? formatCount(fn.ncalls)
        : `${formatCount(fn.ncalls)}/${formatCount(fn.primitiveCalls)}`;
    table.push([
      calls,
      formatMs(fn.tottimeMs),
      fn.ncalls ? formatMs(fn.tottimeMs / fn.ncalls) : '',
      formatMs(fn.cumtimeMs),
      fn.primitiveCalls ? formatMs(fn.cumtimeMs / fn.primitiveCalls) : '',
      functionLabel(fn),
      originTag(fn),
    ]);
  }
  lines.push(table.toString());
  const hot = findHotSpot(doc);
  if (hot) {
    const caller = hot.topCaller
      ? `, called from ${displayName(hot.topCaller)}${location(hot.topCaller) ? ` (${location(hot.topCaller)})` : ''}`
      : '';
    lines.push(
      '',
      `${colour.bold('Hot spot:')} ${colour.bold(displayName(hot.fn))} — ${formatCount(hot.fn.ncalls)} calls, ` +
        `${formatMs(hot.fn.tottimeMs)} own time (${formatPercent(hot.shareOfTotal)} of the total)${caller}`,
    );
  }
  return lines.join('\n');
}

export function renderLines(functions: readonly FunctionLineTimings[]): string {
  const out: string[] = [];
  for (const fn of functions) {
    out.push('', colour.bold(`Line timings — ${fn.name} (${fn.file}:${fn.line}), ${formatMs(fn.totalMs)}`));
    const table = new Table({
      ...PLAIN_TABLE,
      head: ['line', 'hits', 'time', '% time', 'source'].map((h) => colour.bold(h)),
      colAligns: ['right', 'right', 'right', 'right', 'left'],
    });
    const hottest = Math.max(...fn.lines.map((l) => l.timeMs));
    for (const line of fn.lines) {
      const share = fn.totalMs > 0 ? line.timeMs / fn.totalMs : 0;
      const source = line.timeMs === hottest && hottest > 0 ? colour.red(line.source) : line.source;
      table.push([
        line.line,
        line.hits ? formatCount(line.hits) : '',
        line.hits ? formatMs(line.timeMs) : '',
        line.hits ? formatPercent(share) : '',
        source,
      ]);
    }
    out.push(table.toString());
  }
  return out.join('\n');
}

export function renderMemory(doc: HarnessResultOf<'memory'>, top: number): string {
  const out: string[] = [
    '',
    colour.bold(
      `Memory (tracemalloc): peak ${formatBytes(doc.peakBytes)}, still allocated at exit ${formatBytes(doc.finalBytes)}`,
    ),
    'Top allocation sites at the peak:',
  ];
  const caveat = peakSitesCaveat(doc);
  if (caveat) out.push(colour.dim(caveat));
  const sites = new Table({
    ...PLAIN_TABLE,
    head: ['size', 'blocks', 'where', 'source'].map((h) => colour.bold(h)),
    colAligns: ['right', 'right', 'left', 'left'],
  });
  for (const site of doc.peakSites.slice(0, top)) {
    const where = `${site.file}:${site.line}`;
    sites.push([
      formatBytes(site.sizeBytes),
      formatCount(site.count),
      site.origin === 'user' ? colour.cyan(where) : where,
      site.source.trim(),
    ]);
  }
  out.push(sites.toString(), '', 'Largest object types alive at exit:');
  const types = new Table({
    ...PLAIN_TABLE,
    head: ['size', 'count', 'type'].map((h) => colour.bold(h)),
    colAligns: ['right', 'right', 'left'],
  });
  for (const type of doc.types.slice(0, top))
    types.push([formatBytes(type.sizeBytes), formatCount(type.count), type.type]);
  out.push(types.toString());
  return out.join('\n');
}
