/**
 * buildSampledProfile on real py-spy 0.4.3 captures (fixtures/make_fixtures.py): threads burning
 * CPU, a spawn pool, and ten sleeping threads, each with the host's /proc readings.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureFrom } from './fixtures.test-support.js';
import { buildSampledProfile } from './sampled-profile-build.js';
import type { SampleCapture, SampledProfile, SampledThread } from './sampled-profile.js';

const loadCapture = (name: string, overrides: Partial<SampleCapture> = {}) =>
  captureFrom(
    JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')),
    overrides,
  );

const hottest = (profile: SampledProfile, thread: SampledThread) =>
  profile.functions[thread.functions[0]?.functionId ?? -1]?.name;

describe('buildSampledProfile', () => {
  const profile = buildSampledProfile(loadCapture('pyspy-threads-burn'));
  const workers = profile.threads.filter((t) => t.name.startsWith('burner-'));
  const main = profile.threads.find((t) => t.name === 'MainThread');

  it('names burn the hottest function of each of the three worker threads', () => {
    expect(workers).toHaveLength(3);
    for (const worker of workers) {
      expect(hottest(profile, worker), worker.name).toBe('burn');
      expect(worker.functions[0]?.selfSamples).toBeGreaterThan(0.8 * worker.samples);
    }
    expect(profile.hot.map((h) => profile.functions[h.functionId]?.name)).toEqual(['burn', 'burn', 'burn']);
    expect(profile.functions.find((f) => f.name === 'burn')).toMatchObject({
      file: 'threads_burn.py',
      origin: 'user',
    });
  });

  it("puts the main thread's time in join's wait", () => {
    expect(hottest(profile, main as SampledThread)).toBe('Thread._wait_for_tstate_lock');
  });

  it('strips the harness frames: the learner module is the root of the main thread', () => {
    const files = profile.functions.map((f) => f.file);
    expect(files.some((f) => f.includes('perflab_harness') || f === '<frozen runpy>')).toBe(false);
    const roots = (main as SampledThread).callTree.map((n) => profile.functions[n.functionId]);
    expect(roots.map((f) => `${f?.name} ${f?.file}`)).toEqual(['<module> threads_burn.py']);
  });

  it('counts samples from durations, shares function ids between threads, and builds trees in ms', () => {
    const burnIds = new Set(workers.map((w) => w.functions[0]?.functionId));
    expect(burnIds.size).toBe(1);
    expect(profile.sampleCount).toBe(profile.threads.reduce((sum, t) => sum + t.samples, 0));
    for (const thread of profile.threads) {
      expect(thread.sampledMs).toBeCloseTo((thread.samples * 1000) / profile.rateHz, 6);
      const treeMs = thread.callTree.reduce((sum, n) => sum + n.totalMs, 0);
      expect(treeMs).toBeCloseTo(thread.sampledMs, 6);
    }
    // ~0.6 s of burning per thread at 100 Hz; wide margins for a loaded host.
    for (const worker of workers) expect(worker.samples).toBeGreaterThan(20);
  });

  it("joins the host's /proc CPU time and the GIL samples per thread", () => {
    expect(profile.gilCollected).toBe(true);
    for (const worker of workers) {
      expect(worker.cpuMs).toBeGreaterThan(0);
      expect(worker.idleMs).not.toBeNull();
      expect(worker.gilSamples).toBeGreaterThan(0);
      expect(worker.gilSamples).toBeLessThanOrEqual(worker.samples);
    }
    // The main thread waits in join: it held the GIL in a small share of its samples at most.
    expect(main?.gilSamples).toBeLessThan(0.5 * (main?.samples ?? 0));
    expect(main?.cpuMs).toBeLessThan((main?.sampledMs ?? 0) / 2);
  });

  it('has null GIL and kernel figures when they were not collected', () => {
    const bare = buildSampledProfile(
      loadCapture('pyspy-threads-burn', { gilTraceEvents: null, threadCpu: [] }),
    );
    expect(bare.gilCollected).toBe(false);
    for (const thread of bare.threads) {
      expect(thread).toMatchObject({ gilSamples: null, cpuMs: null, idleMs: null });
      expect(thread.functions.every((f) => f.gilSamples === null)).toBe(true);
    }
  });
});

describe('buildSampledProfile across processes', () => {
  const profile = buildSampledProfile(loadCapture('pyspy-pool-burn'));

  it('finds burn hottest in both pool workers and names the processes', () => {
    const labels = profile.processes.map((p) => p.command);
    expect(labels.length).toBeGreaterThanOrEqual(3);
    const workers = profile.threads.filter((t) => hottest(profile, t) === 'burn');
    expect(new Set(workers.map((t) => t.processKey)).size).toBe(2);
    const main = profile.processes.find((p) => p.parentKey === null);
    expect(main?.command).toContain('pool_burn.py');
    for (const worker of workers) {
      const process = profile.processes.find((p) => p.key === worker.processKey);
      expect(process?.parentKey).toBe(main?.key);
      expect(process?.threadKeys).toContain(worker.key);
    }
  });

  it("keeps a spawned worker's whole stack (it does not start in the harness)", () => {
    const worker = profile.threads.find((t) => hottest(profile, t) === 'burn') as SampledThread;
    const names: string[] = [];
    for (let node = worker.callTree[0]; node; node = node.children[0])
      names.push(profile.functions[node.functionId]?.name ?? '');
    expect(names).toContain('spawn_main');
    expect(names.at(-1)).toBe('burn');
  });
});

describe('buildSampledProfile of short-lived threads', () => {
  // Uncut, a thread's last stack stays open until its pthread id is reused (up to 40 samples
  // here); py-spy may also see a new thread a few samples late.
  it('cuts each thread at its last sighting in /proc: ten 0.1 s sleeps give ~10 samples each', () => {
    const profile = buildSampledProfile(loadCapture('pyspy-sleep-serial'));
    const fetchers = profile.threads.filter((t) => t.name.startsWith('fetch-'));
    expect(fetchers).toHaveLength(10);
    const uncut = buildSampledProfile(loadCapture('pyspy-sleep-serial', { threadCpu: [] }));
    expect(
      Math.max(...uncut.threads.filter((t) => t.name.startsWith('fetch-')).map((t) => t.samples)),
    ).toBeGreaterThan(14);
    for (const thread of fetchers) {
      expect(thread.samples, thread.key).toBeGreaterThanOrEqual(3);
      expect(thread.samples, thread.key).toBeLessThanOrEqual(14);
    }
  });
});
