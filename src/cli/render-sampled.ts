/**
 * The sampled profile in the terminal: one row per process and thread (samples, sampled time,
 * on-CPU, idle, GIL share), the top functions of each busy thread, and one line naming the
 * hottest function of the learner's and the threads it ran in. Sampled time is samples / rate;
 * on-CPU time is the kernel's (read by the host from /proc), idle the rest of the thread's life.
 */
import Table from 'cli-table3';
import type { SampledFunction, SampledProfile, SampledThread } from '../core/concurrency/sampled-profile.js';
import { location } from '../core/names.js';
import { colour, formatCount, formatMs, formatPercent } from './format.js';
import { PLAIN_TABLE } from './render-profile.js';

/** A thread is "busy" when it was on a CPU for at least this share of the busiest thread's CPU time. */
const BUSY_SHARE = 0.05;
const MAX_BUSY_THREADS = 6;

function functionLabel(fn: SampledFunction): string {
  const where = location(fn);
  const label = where ? `${fn.name}  ${colour.dim(where)}` : fn.name;
  return fn.origin === 'user' ? colour.bold(colour.cyan(label)) : label;
}

/** Where a thread spent its samples when it was not waiting: kernel CPU time, else samples. */
function activity(thread: SampledThread): number {
  return thread.cpuMs ?? thread.sampledMs;
}

/** Threads worth their own function table, busiest first. */
export function busyThreads(profile: SampledProfile): SampledThread[] {
  const sorted = [...profile.threads].sort((a, b) => activity(b) - activity(a));
  const top = sorted[0] ? activity(sorted[0]) : 0;
  return sorted.filter((t) => t.samples > 0 && activity(t) >= top * BUSY_SHARE).slice(0, MAX_BUSY_THREADS);
}

/** "crunch (work.py:5) — 412 samples on top in Thread-1, Thread-2 (81.0% of their samples)". */
export function sampledHotSpot(profile: SampledProfile): string | null {
  const hottest = profile.hot[0];
  if (!hottest) return null;
  const fn = profile.functions.find((f) => f.id === hottest.functionId);
  if (!fn) return null;
  // Every thread that ran it, not only the ones among the top five.
  const threads = profile.threads.filter((t) =>
    t.functions.some((f) => f.functionId === fn.id && f.selfSamples > 0),
  );
  const selfSamples = threads.reduce(
    (sum, t) => sum + (t.functions.find((f) => f.functionId === fn.id)?.selfSamples ?? 0),
    0,
  );
  const threadSamples = threads.reduce((sum, t) => sum + t.samples, 0);
  const names = threads.map((t) => t.name);
  const shown =
    names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
  const where = location(fn);
  return (
    `${colour.bold('Hot spot:')} ${colour.bold(fn.name)}${where ? ` (${where})` : ''} — ` +
    `${formatCount(selfSamples)} samples on top of the stack in ${shown}` +
    (threadSamples > 0 ? ` (${formatPercent(selfSamples / threadSamples)} of their samples)` : '')
  );
}

function threadByKey(profile: SampledProfile, key: string): SampledThread | undefined {
  return profile.threads.find((t) => t.key === key);
}

function gilCell(profile: SampledProfile, samples: number, gilSamples: number | null): string {
  if (!profile.gilCollected || gilSamples === null) return colour.dim('—');
  return samples > 0 ? formatPercent(gilSamples / samples) : '';
}

const msCell = (ms: number | null) => (ms === null ? colour.dim('—') : formatMs(ms));

export function renderSampled(profile: SampledProfile, top: number): string {
  const out = [
    colour.bold(
      `Sampled profile (${profile.tool.name} ${profile.tool.version}) · ${profile.rateHz} Hz · ` +
        `${formatCount(profile.sampleCount)} samples over ${formatMs(profile.durationMs)} · ` +
        `${profile.processes.length} process${profile.processes.length === 1 ? '' : 'es'}, ` +
        `${profile.threads.length} thread${profile.threads.length === 1 ? '' : 's'}`,
    ),
  ];
  const table = new Table({
    ...PLAIN_TABLE,
    head: ['', 'samples', 'sampled', 'on-CPU', 'idle', 'GIL'].map((h) => colour.bold(h)),
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const proc of profile.processes) {
    const threads = proc.threadKeys
      .map((key) => threadByKey(profile, key))
      .filter((t): t is SampledThread => t !== undefined);
    const gil = threads.every((t) => t.gilSamples === null)
      ? null
      : threads.reduce((sum, t) => sum + (t.gilSamples ?? 0), 0);
    table.push([
      colour.bold(`process ${proc.pid}  ${colour.dim(proc.command)}`),
      formatCount(proc.samples),
      formatMs((proc.samples / profile.rateHz) * 1000),
      msCell(proc.cpuMs),
      '',
      gilCell(profile, proc.samples, gil),
    ]);
    for (const t of threads)
      table.push([
        `  ${t.name}${t.tid !== null ? colour.dim(` (${t.tid})`) : ''}`,
        formatCount(t.samples),
        formatMs(t.sampledMs),
        msCell(t.cpuMs),
        msCell(t.idleMs),
        gilCell(profile, t.samples, t.gilSamples),
      ]);
  }
  out.push(table.toString());
  if (!profile.gilCollected) out.push(colour.dim('  (GIL: not collected; run without --no-gil to see it)'));

  const byId = new Map(profile.functions.map((f) => [f.id, f]));
  for (const thread of busyThreads(profile)) {
    out.push('', colour.bold(`${thread.name} — top functions (${formatCount(thread.samples)} samples)`));
    const fns = new Table({
      ...PLAIN_TABLE,
      head: ['self', 'self %', 'total', 'total %', 'function'].map((h) => colour.bold(h)),
      colAligns: ['right', 'right', 'right', 'right', 'left'],
    });
    const rows = [...thread.functions]
      .sort((a, b) => b.selfSamples - a.selfSamples || b.totalSamples - a.totalSamples)
      .filter((f) => f.selfSamples > 0)
      .slice(0, Math.min(top, 8));
    for (const row of rows) {
      const fn = byId.get(row.functionId);
      if (!fn) continue;
      const share = (n: number) => (thread.samples > 0 ? formatPercent(n / thread.samples) : '');
      fns.push([
        formatCount(row.selfSamples),
        share(row.selfSamples),
        formatCount(row.totalSamples),
        share(row.totalSamples),
        functionLabel(fn),
      ]);
    }
    out.push(fns.toString());
  }
  const hot = sampledHotSpot(profile);
  if (hot) out.push('', hot);
  for (const error of profile.errors) out.push(colour.yellow(`  sampler: ${error}`));
  return out.join('\n');
}
