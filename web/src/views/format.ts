/** Number formatting shared by the views: few significant digits, units a reader expects. */

const grouped = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => grouped.format(n);

/** A plain number with precision that shrinks as it grows: 1,234 · 56.7 · 3.21 · 0.042. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (Number.isInteger(value) || abs >= 100) return grouped.format(Math.round(value));
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs >= 0.001) return value.toPrecision(2);
  return value.toExponential(1).replace('.0e', 'e');
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${formatNumber(ms / 1000)} s`;
  return `${formatNumber(ms)} ms`;
}

/** Durations from nanoseconds to seconds (timeit's per-loop times). */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const unit = timeUnitFor(seconds);
  return `${formatNumber(seconds / unit.seconds)} ${unit.label}`;
}

export interface TimeUnit {
  label: 'ns' | 'µs' | 'ms' | 's';
  seconds: number;
}

export function timeUnitFor(seconds: number): TimeUnit {
  if (seconds >= 1) return { label: 's', seconds: 1 };
  if (seconds >= 1e-3) return { label: 'ms', seconds: 1e-3 };
  if (seconds >= 1e-6) return { label: 'µs', seconds: 1e-6 };
  return { label: 'ns', seconds: 1e-9 };
}

export { formatBytes } from '../../../src/core/memory-report.js';

export const formatPercent = (fraction: number): string =>
  Number.isFinite(fraction) ? `${(fraction * 100).toFixed(fraction >= 0.1 ? 0 : 1)}%` : '—';

const withoutTrailingZeros = (value: number): string =>
  formatNumber(value)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');

/** Ratios drop trailing zeros: 1.5×, 2×, 18.4×. */
export const formatRatio = (ratio: number): string => `${withoutTrailingZeros(ratio)}×`;

export const formatRatioInterval = (low: number, high: number): string =>
  `${withoutTrailingZeros(low)}–${withoutTrailingZeros(high)}×`;
