import { describe, expect, it } from 'vitest';
import { matchOutput, parseInfoOptions } from './course.js';

describe('expected-output matching', () => {
  it('matches exact lines, ignoring trailing spaces and final blank lines', () => {
    expect(matchOutput('a\nb\n', 'a  \nb\n\n').matches).toBe(true);
    expect(matchOutput('a\nb', 'a\nc').firstMismatch).toEqual({
      expectedLine: 2,
      expected: 'b',
      actual: 'c',
    });
  });

  it('lets {n} match numbers and {...} match any text within a line', () => {
    expect(matchOutput('took {n} ms', 'took 12.5 ms').matches).toBe(true);
    expect(matchOutput('took {n} ms', 'took 1,024 ms').matches).toBe(true);
    expect(matchOutput('took {n} ms', 'took 2e-05 ms').matches).toBe(true);
    expect(matchOutput('took {n} ms', 'took fast ms').matches).toBe(false);
    expect(matchOutput('<object at {...}>', '<object at 0x7f00>').matches).toBe(true);
  });

  it('lets a ... line match any number of lines, including none', () => {
    expect(
      matchOutput('Traceback\n...\nValueError: x', 'Traceback\n  File a\n  File b\nValueError: x').matches,
    ).toBe(true);
    expect(matchOutput('start\n...\nend', 'start\nend').matches).toBe(true);
    expect(matchOutput('start\n...\nend', 'start\nmiddle').matches).toBe(false);
  });

  it('compares unordered output as a multiset', () => {
    expect(matchOutput('worker 1 done\nworker 2 done', 'worker 2 done\nworker 1 done', true).matches).toBe(
      true,
    );
    expect(matchOutput('worker {n} done\nworker {n} done', 'worker 2 done', true).matches).toBe(false);
  });

  it('reads block options from the info string', () => {
    expect(parseInfoOptions('python run expect=timeout timeout=2 stdin=terminal')).toEqual({
      expect: 'timeout',
      timeout: '2',
      stdin: 'terminal',
    });
  });
});
