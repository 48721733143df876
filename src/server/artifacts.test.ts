import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  artifactIn,
  packArtifacts,
  packedOf,
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
    expect(await artifactIn(stored, packedOf(stored), 'trace.json')).toEqual(trace);
    expect(await artifactIn(stored, packedOf(stored), 'memray.bin')).toEqual(bin);
    expect(await artifactIn(stored, packedOf(stored), 'profile.prof')).toBeNull();
    expect(withoutArtifacts(stored as Record<string, unknown>)).toEqual(view);
  });

  it('reads pstats stored before there were several downloads', async () => {
    const stored = { kind: 'profile', pstatsBase64: Buffer.from('pstats!').toString('base64') };
    expect((await artifactIn(stored, packedOf(stored), 'profile.prof'))?.toString()).toBe('pstats!');
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
});
