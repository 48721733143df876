import { describe, expect, it } from 'vitest';
import { formatBytes, formatKb, peakSitesCaveat } from './memory-report.js';

describe('formatBytes', () => {
  it('writes binary units with about three significant figures', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(150 * 1024)).toBe('150 KiB');
    expect(formatBytes(14.2 * 1024 * 1024)).toBe('14.2 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatBytes(Number.NaN)).toBe('—');
  });

  it('moves to the next unit rather than writing 1024.0 of one', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.0 MiB');
  });

  it('reads kilobyte counts as KiB', () => {
    expect(formatKb(2048)).toBe('2.0 MiB');
  });
});

describe('peakSitesCaveat', () => {
  it('says nothing when the sites were read near the peak or the figure is unknown', () => {
    expect(peakSitesCaveat({ peakBytes: 100, peakSitesTracedBytes: 91 })).toBeNull();
    expect(peakSitesCaveat({ peakBytes: 100 })).toBeNull();
    expect(peakSitesCaveat({ peakBytes: 0, peakSitesTracedBytes: 0 })).toBeNull();
  });

  it('names the traced size and share when the sites were read well before the peak', () => {
    const caveat = peakSitesCaveat({ peakBytes: 16 * 1024 * 1024, peakSitesTracedBytes: 11 * 1024 * 1024 });
    expect(caveat).toContain('11.0 MiB');
    expect(caveat).toContain('68% of the peak');
  });
});
