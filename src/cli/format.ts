import pc from 'picocolors';

/** Colour only when writing to a terminal and NO_COLOR is not set. */
export const colour = pc.createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);

/** Durations, per-loop times, sizes and counts are written as everywhere else (core/format.ts). */
export { formatBytes, formatCount, formatKb, formatMs, formatSeconds } from '../core/format.js';

/** A share with one decimal: "2.5%" (the terminal's tables align on it). */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
