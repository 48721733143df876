import { describe, expect, it } from 'vitest';
import type { CallEdge, ProfiledFunction } from './documents.js';
import { displayName, shortPath } from './names.js';
import { buildCallTree, hotUserFunctions, sortFunctions, toSpeedscope } from './profile-model.js';

const fn = (
  id: number,
  name: string,
  origin: ProfiledFunction['origin'],
  tottimeMs: number,
  cumtimeMs: number,
  ncalls = 1,
): ProfiledFunction => ({
  id,
  name,
  file: origin === 'builtin' ? '~' : 'main.py',
  line: id,
  origin,
  ncalls,
  primitiveCalls: ncalls,
  tottimeMs,
  cumtimeMs,
});
const edge = (callerId: number, calleeId: number, cumtimeMs: number, ncalls = 1): CallEdge => ({
  callerId,
  calleeId,
  ncalls,
  primitiveCalls: ncalls,
  tottimeMs: cumtimeMs,
  cumtimeMs,
});

// <module> → main → count_words → str.count (×500); main → helper
const functions = [
  fn(1, '<module>', 'user', 1, 100),
  fn(2, 'main', 'user', 2, 99),
  fn(3, 'count_words', 'user', 5, 90),
  fn(4, "<method 'count' of 'str' objects>", 'builtin', 85, 85, 500),
  fn(5, 'helper', 'user', 7, 7),
];
const edges = [edge(1, 2, 99), edge(2, 3, 90), edge(3, 4, 85, 500), edge(2, 5, 7)];

describe('profile model', () => {
  it('sorts by cumulative time, own time or calls', () => {
    expect(sortFunctions(functions, 'tottime')[0]?.id).toBe(4);
    expect(sortFunctions(functions, 'cumulative')[0]?.id).toBe(1);
    expect(sortFunctions(functions, 'calls')[0]?.id).toBe(4);
  });

  it('ranks user functions by the time on their own lines, including calls into built-ins', () => {
    const hot = hotUserFunctions(functions, edges, 2);
    expect(hot.map((h) => h.fn.name)).toEqual(['count_words', 'helper']);
    expect(hot[0]?.ownLinesMs).toBe(90);
  });

  it('builds a call tree whose totals add up', () => {
    const [root] = buildCallTree(functions, edges);
    expect(root?.functionId).toBe(1);
    const main = root?.children[0];
    expect(main?.children.map((c) => c.functionId)).toEqual([3, 5]);
    expect(main?.selfMs).toBeCloseTo(2, 5);
    expect(main?.children[0]?.children[0]?.totalMs).toBeCloseTo(85, 5);
  });

  it('exports a speedscope sampled profile weighted in milliseconds', () => {
    const file = toSpeedscope(functions, edges, 'main.py');
    const profile = file.profiles[0];
    expect(profile?.unit).toBe('milliseconds');
    expect(profile?.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 5);
    const heaviest = profile?.samples[profile.weights.indexOf(Math.max(...profile.weights))];
    expect(heaviest?.map((i) => file.shared.frames[i]?.name)).toEqual([
      '<module>',
      'main',
      'count_words',
      "<method 'count' of 'str' objects>",
    ]);
  });

  it('does not loop forever on recursion', () => {
    const recursive = [fn(1, 'fib', 'user', 10, 10, 100)];
    expect(buildCallTree(recursive, [edge(1, 1, 10, 99)])).toHaveLength(1);
  });

  it('shows built-ins by their familiar names', () => {
    expect(displayName({ name: "<method 'count' of 'str' objects>", origin: 'builtin' })).toBe('str.count');
    expect(displayName({ name: '<built-in method builtins.len>', origin: 'builtin' })).toBe('len');
    expect(displayName({ name: 'count_words', origin: 'user' })).toBe('count_words');
    expect(shortPath('/usr/lib/python3.11/random.py')).toBe('random.py');
    expect(shortPath('/x/.venv/lib/python3.11/site-packages/numpy/core/numeric.py')).toBe(
      'numpy/core/numeric.py',
    );
    expect(shortPath('main.py')).toBe('main.py');
  });
});
