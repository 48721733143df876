import { describe, expect, it } from 'vitest';
import { decideHang, type HangRun } from './hang.js';
import type { CheckOf } from './result.js';

const check: CheckOf<'hang'> = {
  id: 'finishes',
  kind: 'hang',
  entry: 'main.py',
  args: [],
  stdin: 'closed',
  withinS: 5,
  dataFile: 'input.data',
  datasets: 1,
  output: 'any',
};
const withData: CheckOf<'hang'> = { ...check, data: 'tests/gen.py:make', datasets: 2, output: 'reference' };
const run = (over: Partial<HangRun> = {}): HangRun => ({
  failure: null,
  stdout: 'total 42\n',
  expected: null,
  timedOut: false,
  wallMs: 1234,
  exitCode: 0,
  stderr: '',
  stuck: [],
  ...over,
});

describe('hang decision', () => {
  it('a run stopped at the limit fails with where it was stuck', () => {
    const stuck = ['MainThread: main.py:7 in wait_for (lock.acquire)'];
    const result = decideHang(check, [run({ timedOut: true, wallMs: 5000, exitCode: null, stuck })]);
    expect(result).toMatchObject({
      status: 'failed',
      sentence: `did not finish within 5 s; ${stuck[0]}`,
      evidence: { stuck, wallMs: 5000, exitCode: null },
    });
    expect(decideHang(check, [run({ timedOut: true })]).sentence).toBe(
      'did not finish within 5 s; no stacks were captured',
    );
  });

  it('passes the slowest run in time, saying on how many hidden inputs it printed the right output', () => {
    const expected = { stdout: 'total 42\n' };
    const result = decideHang(withData, [run({ expected }), run({ expected, wallMs: 2500 })]);
    expect(result).toMatchObject({
      status: 'passed',
      sentence: "finished in 2.50 s (limit 5 s) with the reference solution's output on 2 hidden inputs",
      evidence: { wallMs: 2500, hiddenInputs: 2 },
    });
  });

  it('fails a different output, a failed run and a failed reference, in that order of runs', () => {
    const other = decideHang(withData, [run({ expected: { stdout: 'total 41\n' } })]);
    expect(other.sentence).toMatch(/^finished in 1\.23 s but printed "total 42\\n", expected "total 41\\n"/);
    expect(other.evidence.expectedStdout).toBe('total 41\n');
    expect(decideHang(check, [run({ failure: 'the program exited with status 1' })]).sentence).toBe(
      'the program exited with status 1',
    );
    expect(decideHang(withData, [run({ expected: { error: 'the reference failed' } })]).sentence).toBe(
      'the reference failed',
    );
  });
});
