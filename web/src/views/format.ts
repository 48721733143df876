/**
 * Number formatting for the views: one formatter per quantity, shared with the CLI and the
 * engine's sentences (src/core/format.ts), so a ratio or a duration reads the same everywhere.
 */
export {
  formatBytes,
  formatCount,
  formatMs,
  formatNumber,
  formatRatio,
  formatRatioInterval,
  formatSeconds,
  timeUnitFor,
  type TimeUnit,
} from '../../../src/core/format.js';

/** A share: whole percents from 10 % up, one decimal below ("2.5%", "42%"). */
export const formatPercent = (fraction: number): string =>
  Number.isFinite(fraction) ? `${(fraction * 100).toFixed(fraction >= 0.1 ? 0 : 1)}%` : '—';
