/**
 * One formatter per quantity, for every reader: the engine's learner sentences, the CLI, the
 * server's job messages and the web views. Numbers keep about three significant figures;
 * units are the ones a reader expects (×, ms/s/min, B/KiB/MiB).
 */
export { formatBytes, formatKb } from './memory-report.js';

const grouped = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => grouped.format(n);

/** A plain number whose precision shrinks as it grows: 1,234 · 56.7 · 3.21 · 0.042 ("—" when not finite). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (Number.isInteger(value) || abs >= 100) return grouped.format(Math.round(value));
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs >= 0.001) return value.toPrecision(2);
  return value.toExponential(1).replace('.0e', 'e');
}

/** formatNumber without the zeros a ratio does not need: 2, 1.5, 18.4, 10,083. */
function ratioNumber(ratio: number): string {
  return formatNumber(ratio)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

/** A ratio (speed-up, slow-down, growth): 1.48×, 2×, 18.4×, 10,083×, 0.67×. */
export const formatRatio = (ratio: number): string => `${ratioNumber(ratio)}×`;

/** A ratio's interval in the same style: 1.1–1.94×, 5,857–12,316×. */
export const formatRatioInterval = (low: number, high: number): string =>
  `${ratioNumber(low)}–${ratioNumber(high)}×`;

/**
 * A duration in milliseconds, three significant figures kept even when they are zeros (a
 * column of times reads alike): 0.42 ms, 12.3 ms, 250 ms, 1.23 s, 20.0 s, 3 min 4 s
 * ("—" when not finite or negative).
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms >= 60_000) {
    const minutes = Math.floor(ms / 60_000);
    return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
  }
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export interface TimeUnit {
  label: 'ns' | 'µs' | 'ms' | 's';
  seconds: number;
}

/** The unit a duration in seconds reads best in (an axis picks one for all its values). */
export function timeUnitFor(seconds: number): TimeUnit {
  if (seconds >= 1) return { label: 's', seconds: 1 };
  if (seconds >= 1e-3) return { label: 'ms', seconds: 1e-3 };
  if (seconds >= 1e-6) return { label: 'µs', seconds: 1e-6 };
  return { label: 'ns', seconds: 1e-9 };
}

/** A duration in seconds, from nanoseconds (timeit's per-loop times) up: 85 ns, 3.21 µs, 1.5 s. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const unit = timeUnitFor(seconds);
  return `${formatNumber(seconds / unit.seconds)} ${unit.label}`;
}
