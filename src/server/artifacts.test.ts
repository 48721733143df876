import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  keepArtifacts,
  packArtifacts,
  storedArtifact,
  withArtifacts,
  withoutArtifacts,
  withoutNames,
} from './artifacts.js';

describe('a job’s downloads', () => {
  it('round-trip through the stored result and never show in the view', async () => {
    const trace = Buffer.from(JSON.stringify({ traceEvents: [{ ph: 'X', ts: 1, dur: 2 }] }));
    const bin = randomBytes(5000);
    const { packed, dropped } = await packArtifacts({ 'trace.json': trace, 'memray.bin': bin });
    expect(dropped).toEqual([]);
    const view = { kind: 'profile', artifacts: ['trace.json', 'memray.bin'] };
    // What the store keeps, as JSON, then read back.
    const stored = JSON.parse(JSON.stringify(withArtifacts(view, packed))) as unknown;
    expect(await storedArtifact(stored, 'trace.json')).toEqual(trace);
    expect(await storedArtifact(stored, 'memray.bin')).toEqual(bin);
    expect(await storedArtifact(stored, 'profile.prof')).toBeNull();
    expect(withoutArtifacts(stored as Record<string, unknown>)).toEqual(view);
  });

  it('reads pstats stored before there were several downloads', async () => {
    const stored = { kind: 'profile', pstatsBase64: Buffer.from('pstats!').toString('base64') };
    expect((await storedArtifact(stored, 'profile.prof'))?.toString()).toBe('pstats!');
    expect(withoutArtifacts(stored)).toEqual({ kind: 'profile' });
  });

  it('leave out a file that would take the job over its cap, keep a later one that fits, and say why', async () => {
    // Random bytes do not compress: each file's gzipped size is about its own size.
    const files = {
      'trace.json': randomBytes(600),
      'memray.bin': randomBytes(800),
      'sampled.speedscope.json': randomBytes(200),
    };
    const { packed, dropped } = await packArtifacts(files, 1000);
    expect(Object.keys(packed)).toEqual(['trace.json', 'sampled.speedscope.json']);
    expect(dropped.map((d) => d.name)).toEqual(['memray.bin']);
    expect(dropped[0]?.sentence).toMatch(/memray\.bin .*not kept for download.*at most 1000 B/);
    const view = withoutNames({ artifacts: Object.keys(files) }, ['memray.bin']);
    expect(view).toEqual({ artifacts: ['trace.json', 'sampled.speedscope.json'] });
  });

  it('a finished job keeps what fits under 24 MB and its view stops offering the rest', async () => {
    const big = randomBytes(25 * 1024 * 1024);
    const kept = await keepArtifacts(
      { artifacts: ['memray.bin', 'trace.json'] },
      { 'memray.bin': big, 'trace.json': Buffer.from('{}') },
    );
    expect(kept.view).toEqual({ artifacts: ['trace.json'] });
    expect(Object.keys(kept.packed)).toEqual(['trace.json']);
    expect(kept.notes).toEqual([expect.stringMatching(/^memray\.bin \(25\.0 MiB.*at most 24\.0 MiB/)]);
  });
});
