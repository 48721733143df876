/** sampledToSpeedscope on a real py-spy capture: the file speedscope opens, one profile per thread. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureFrom } from './fixtures.test-support.js';
import { buildSampledProfile } from './sampled-profile-build.js';
import { sampledToSpeedscope } from './sampled-speedscope.js';

const profile = buildSampledProfile(
  captureFrom(
    JSON.parse(readFileSync(new URL('./fixtures/pyspy-threads-burn.json', import.meta.url), 'utf8')),
  ),
);

describe('sampledToSpeedscope', () => {
  const file = JSON.parse(JSON.stringify(sampledToSpeedscope(profile, 'threads_burn.py')));

  it('writes the speedscope schema: shared frames, one sampled profile per thread', () => {
    expect(file.$schema).toBe('https://www.speedscope.app/file-format-schema.json');
    expect(file.shared.frames).toHaveLength(profile.functions.length);
    expect(file.profiles).toHaveLength(profile.threads.length);
    for (const p of file.profiles) {
      expect(p).toMatchObject({ type: 'sampled', unit: 'milliseconds', startValue: 0 });
      expect(p.samples).toHaveLength(p.weights.length);
      for (const stack of p.samples)
        for (const index of stack) expect(file.shared.frames[index]).toBeDefined();
    }
  });

  it("weighs each thread's stacks to its sampled time, with burn on top of the workers' stacks", () => {
    profile.threads.forEach((thread, i) => {
      const p = file.profiles[i];
      const total = p.weights.reduce((sum: number, w: number) => sum + w, 0);
      expect(total).toBeCloseTo(thread.sampledMs, 6);
      expect(p.endValue).toBeCloseTo(total, 6);
      expect(p.name).toContain(thread.name);
      if (thread.name.startsWith('burner-')) {
        const heaviest = p.samples[p.weights.indexOf(Math.max(...p.weights))];
        expect(file.shared.frames[heaviest.at(-1)].name).toBe('burn');
        expect(file.shared.frames[heaviest.at(-1)].file).toBe('threads_burn.py');
      }
    });
  });
});
