import { describe, expect, it } from 'vitest';
import { decideRace, runsPerInput, type RaceInput } from './race.js';
import type { CheckOf } from './result.js';

const check: CheckOf<'race'> = {
  id: 'no-race',
  kind: 'race',
  entry: 'main.py',
  args: ['{path}'],
  data: 'tests/gen.py:orders',
  dataFile: 'input.data',
  datasets: 3,
  repeat: 30,
  switchIntervalS: 1e-5,
};
const input = (want: string, outcomes: RaceInput['outcomes']): RaceInput => ({
  expected: { stdout: want },
  outcomes,
  failure: 'the program finished',
});
const all = (stdout: string) => [{ count: 10, exitCode: 0, stdout }];

describe('race decision', () => {
  it('splits the runs over the hidden inputs, at least `repeat` in all', () => {
    expect(runsPerInput(check, 3)).toBe(10);
    expect(runsPerInput({ ...check, repeat: 31 }, 3)).toBe(11);
  });

  it('passes when every run on every input printed the reference output', () => {
    const result = decideRace(check, [
      input('1\n', all('1\n')),
      input('2\n', all('2\n')),
      input('3\n', all('3\n')),
    ]);
    expect(result).toMatchObject({
      status: 'passed',
      sentence:
        "all 30 runs on 3 hidden inputs printed the reference solution's result under a 0.00001 s switch interval",
      evidence: { runs: 30, expectedStdout: ['1\n', '2\n', '3\n'] },
    });
  });

  it('fails scheduling-dependent results, counting the wrong runs and distinct wrong outcomes', () => {
    const racy = [
      { count: 7, exitCode: 0, stdout: '2\n' },
      { count: 3, exitCode: 0, stdout: '1\n' },
    ];
    const result = decideRace({ ...check, repeat: 10 }, [input('2\n', racy)]);
    expect(result.sentence).toBe(
      "3 of 10 runs on 1 hidden input printed something other than the reference solution's result (1 distinct wrong outcome): the result depends on how the threads are scheduled",
    );
    expect(result.evidence.outcomes).toEqual([
      { input: 1, count: 7, exitCode: 0, stdout: '2\n', expected: true },
      { input: 1, count: 3, exitCode: 0, stdout: '1\n', expected: false },
    ]);
  });

  it("fails with the reference's error, or with the runner's sentence when a run made no document", () => {
    const broken: RaceInput = { expected: { error: 'the reference failed' }, outcomes: [], failure: '' };
    expect(decideRace(check, [broken]).sentence).toBe('the reference failed');
    const lost: RaceInput = { ...input('1\n', null), failure: 'the harness wrote no result' };
    expect(decideRace(check, [lost]).sentence).toBe('the harness wrote no result');
  });
});
