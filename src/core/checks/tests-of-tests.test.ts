import { describe, expect, it } from 'vitest';
import type { CheckOf } from './result.js';
import { decideTestsOfTests, type TestsRun } from './tests-of-tests.js';

const check: CheckOf<'tests-of-tests'> = {
  id: 'tests-catch-bugs',
  kind: 'tests-of-tests',
  tests: ['test_retry.py'],
  implementation: 'retry.py',
  mutants: 'tests/mutants',
  correct: 'tests/correct',
};
const ran = (label: string, exitCode: number, failedTests: string[] = []): TestsRun => ({
  label,
  exitCode,
  failedTests,
  where: failedTests.map((t) => `${t.split('::')[0]}:3: in ${t.split('::')[1]}`),
});
const correct = [ran('the reference retry.py', 0), ran('correct version 2', 0)];
const caught = [ran('mutant off-by-one', 1, ['test_retry.py::test_gives_up'])];

describe('tests-of-tests decision', () => {
  it('passes tests that accept every correct version and catch every mutant', () => {
    expect(decideTestsOfTests(check, correct, caught)).toMatchObject({
      status: 'passed',
      sentence: 'your tests pass on all 2 correct implementations and catch all 1 broken versions',
      evidence: {
        correct: [
          { label: 'the reference retry.py', passed: true },
          { label: 'correct version 2', passed: true },
        ],
        mutants: [
          { label: 'mutant off-by-one', caught: true, failedTests: ['test_retry.py::test_gives_up'] },
        ],
      },
    });
  });

  it('fails tests that reject a correct version, naming it and where the tests failed', () => {
    const picky = [correct[0] as TestsRun, ran('correct version 2', 1, ['test_retry.py::test_hash'])];
    const result = decideTestsOfTests(check, picky, caught);
    expect(result.sentence).toBe(
      'your tests fail on 1 of 2 correct implementations (correct version 2): they must accept any correct retry.py, not one particular file',
    );
    expect(result.evidence.correct?.[1]).toEqual({
      label: 'correct version 2',
      passed: false,
      failedTests: ['test_retry.py::test_hash'],
      where: ['test_retry.py:3: in test_hash'],
    });
  });

  it('fails tests that miss a mutant, and tests pytest could not even collect', () => {
    expect(decideTestsOfTests(check, correct, [ran('mutant no-wait', 0)]).sentence).toBe(
      'your tests pass on all 2 correct implementations but also on 1 of 1 broken versions (mutant no-wait)',
    );
    expect(decideTestsOfTests(check, [ran('the reference retry.py', 5)], caught)).toMatchObject({
      status: 'failed',
      sentence: 'pytest collected no tests from your test files',
    });
  });
});
