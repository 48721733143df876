import { describe, expect, it } from 'vitest';
import type { FunctionLineTimings } from '../../../src/core/documents.js';
import { profileResultFixture } from '../views/test-fixtures';
import { lineHeat, workspacePath } from './heat';

describe('workspacePath', () => {
  const paths = ['main.py', 'lib/main.py', 'util.py'];

  it('maps an absolute sandbox path to the longest workspace path it ends with', () => {
    expect(workspacePath('/tmp/perflab-x/work/lib/main.py', paths)).toBe('lib/main.py');
    expect(workspacePath('/tmp/perflab-x/work/main.py', paths)).toBe('main.py');
    expect(workspacePath('util.py', paths)).toBe('util.py');
  });

  it('reads Windows separators and never matches a partial file name', () => {
    expect(workspacePath('C:\\work\\util.py', paths)).toBe('util.py');
    expect(workspacePath('/work/myutil.py', paths)).toBeNull();
    expect(workspacePath('/usr/lib/python3.12/re/__init__.py', paths)).toBeNull();
  });
});

describe('lineHeat', () => {
  it('gives each line its share of all timed lines and its strength against the hottest', () => {
    const functions = profileResultFixture.lines?.functions ?? [];
    const heat = lineHeat(functions, ['wordfreq.py']);
    const lines = heat['wordfreq.py'] ?? [];
    // Lines that never ran get no heat.
    expect(lines.map((h) => h.line)).toEqual([25, 26, 27, 28, 18, 19]);
    const total = 0.002 + 4.3 + 1071.5 + 0.001 + 52.3 + 71.9;
    const hottest = lines.find((h) => h.line === 27);
    expect(hottest).toMatchObject({ ms: 1071.5, hits: 5207, intensity: 1 });
    expect(hottest?.share).toBeCloseTo(1071.5 / total, 9);
    expect(lines.find((h) => h.line === 19)?.intensity).toBeCloseTo(71.9 / 1071.5, 9);
  });

  it('adds up a line reported by two functions (a nested function inside another)', () => {
    const fn = (name: string, timeMs: number, hits: number): FunctionLineTimings => ({
      name,
      file: '/sandbox/main.py',
      line: 1,
      totalMs: timeMs,
      lines: [{ line: 3, hits, timeMs, source: 'x += 1' }],
    });
    const heat = lineHeat([fn('outer', 3, 2), fn('inner', 1, 5)], ['main.py']);
    expect(heat['main.py']).toEqual([{ line: 3, ms: 4, hits: 7, share: 1, intensity: 1 }]);
  });

  it('leaves out files outside the workspace and gives nothing when no time was measured', () => {
    const functions = profileResultFixture.lines?.functions ?? [];
    expect(lineHeat(functions, ['other.py'])).toEqual({});
    const idle = functions.map((f) => ({ ...f, lines: f.lines.map((l) => ({ ...l, timeMs: 0 })) }));
    expect(lineHeat(idle, ['wordfreq.py'])).toEqual({});
  });
});
