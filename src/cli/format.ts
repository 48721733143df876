import pc from 'picocolors';

/** Colour only when writing to a terminal and NO_COLOR is not set. */
export const colour = pc.createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Seconds-per-loop values from timeit span nanoseconds to seconds. */
export function formatSeconds(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(3)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(3)} ms`;
  if (seconds >= 1e-6) return `${(seconds * 1e6).toFixed(3)} µs`;
  return `${(seconds * 1e9).toFixed(1)} ns`;
}

export { formatBytes, formatKb } from '../core/memory-report.js';

export const formatCount = (n: number) => n.toLocaleString('en-US');

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
