/**
 * Sizes and the memory mode's caveats in words, for the CLI and the web views alike.
 * Sizes use binary units (1 KiB = 1024 B): tracemalloc and the kernel's rusage count bytes
 * and kilobytes of 1024, and a label of "MB" on a 2^20 figure would be off by 5 %.
 */

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  if (Math.abs(bytes) < 1024) return `${Math.round(bytes)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // Never "1024.0 KiB": a value that rounds up to the next unit is written in it.
  if (Math.abs(value) >= 1023.95 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(Math.abs(value) >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** For rusage-style figures counted in KiB (`peakRssKb`). */
export const formatKb = (kb: number): string => formatBytes(kb * 1024);

/** Below this share of the peak, the peak sites are said to be from before the peak. */
const NEAR_PEAK_FRACTION = 0.9;

/**
 * The peak sites come from the last snapshot taken on the way up, not from the exact peak
 * (see python/perflab_harness/mode_memory.py). When that snapshot saw clearly less than the
 * peak, the reader is told so; null when it is near enough or unknown (older results).
 */
export function peakSitesCaveat(memory: {
  peakBytes: number;
  peakSitesTracedBytes?: number | undefined;
}): string | null {
  const tracedBytes = memory.peakSitesTracedBytes;
  if (tracedBytes === undefined || memory.peakBytes <= 0) return null;
  const fraction = tracedBytes / memory.peakBytes;
  if (fraction >= NEAR_PEAK_FRACTION) return null;
  return (
    `These sites were read when ${formatBytes(tracedBytes)} was traced, ${Math.floor(fraction * 100)}% of the peak: ` +
    'memory allocated after that is missing from them.'
  );
}
