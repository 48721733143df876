import { describe, expect, it } from 'vitest';
import type { ProfiledFunction } from '../../../src/core/documents.js';
import { functionRows, perCallUs, type FunctionColumn } from './function-rows';
import { nextSort } from './SortHeader';
import { profileResultFixture } from './test-fixtures';

const functions = profileResultFixture.profile?.functions ?? [];
const names = (rows: readonly ProfiledFunction[]) => rows.map((f) => f.name);
const sorted = (key: FunctionColumn, descending: boolean, onlyMine = true) =>
  names(functionRows(functions, { key, descending }, onlyMine));

describe('functionRows', () => {
  it('shows the learner functions by default, slowest own time first', () => {
    expect(sorted('tottime', true)).toEqual([
      'word_counts',
      'normalise',
      '<lambda>',
      'read_words',
      'top_words',
      '<module>',
      'print_report',
      'main',
    ]);
  });

  it('shows every function when asked, the built-in list.count on top', () => {
    const all = functionRows(functions, { key: 'tottime', descending: true }, false);
    expect(all).toHaveLength(functions.length);
    expect(all[0]?.name).toBe("<method 'count' of 'list' objects>");
  });

  it('sorts by cumulative time and by name in either direction', () => {
    expect(sorted('cumtime', true).slice(0, 3)).toEqual(['<module>', 'main', 'word_counts']);
    expect(sorted('function', false).slice(0, 3)).toEqual(['<lambda>', '<module>', 'main']);
    expect(sorted('function', true).at(-1)).toBe('<lambda>');
  });

  it('breaks ties by own time, slowest first, whatever the direction', () => {
    // Five user functions are called once each.
    expect(sorted('ncalls', false).slice(0, 5)).toEqual([
      'word_counts',
      'read_words',
      'top_words',
      '<module>',
      'print_report',
    ]);
  });

  it('never reorders the caller’s array', () => {
    const before = names(functions);
    functionRows(functions, { key: 'function', descending: false }, false);
    expect(names(functions)).toEqual(before);
  });
});

describe('perCallUs', () => {
  it('divides cumulative time by primitive calls, in microseconds', () => {
    const format = functions.find((f) => f.name === '_format');
    expect(format && perCallUs(format)).toBeCloseTo((7.7 * 1000) / 200, 9);
  });

  it('is NaN without a primitive call, and sorts as zero', () => {
    const fn = { ...functions[0], primitiveCalls: 0 } as ProfiledFunction;
    expect(perCallUs(fn)).toBeNaN();
    const rows = functionRows(
      [fn, functions[1] as ProfiledFunction],
      { key: 'percall', descending: false },
      true,
    );
    expect(rows[0]).toBe(fn);
  });
});

describe('nextSort', () => {
  it('flips the order of the sorted column and starts a new one in its natural order', () => {
    const byTime = { key: 'tottime', descending: true };
    expect(nextSort(byTime, 'tottime', true)).toEqual({ key: 'tottime', descending: false });
    expect(nextSort(byTime, 'function', false)).toEqual({ key: 'function', descending: false });
    expect(nextSort({ key: 'function', descending: false }, 'ncalls', true)).toEqual({
      key: 'ncalls',
      descending: true,
    });
  });
});
