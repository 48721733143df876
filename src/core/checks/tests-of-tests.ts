/**
 * Tests of tests: the learner's tests must pass on every correct implementation (the
 * reference and others written differently, so a test that recognises one file fails) and
 * fail on every broken version (mutant). The evidence holds labels, verdicts and the learner's
 * own test names and locations, never a hidden file's source.
 */
import type { CheckResultOf } from '../verify-report.js';
import { decided, type CheckOf } from './result.js';

/** The learner's tests run against one implementation. */
export interface TestsRun {
  label: string;
  /** pytest's exit code: 0 all passed, 5 no tests collected. */
  exitCode: number | null;
  /** The learner's tests that failed (names checked against the learner's own files). */
  failedTests: string[];
  /** Where in the learner's own test files they failed. */
  where: string[];
}

/** pytest's exit code when it collected no tests. */
const NO_TESTS_COLLECTED = 5;

export function decideTestsOfTests(
  check: CheckOf<'tests-of-tests'>,
  correct: readonly TestsRun[],
  mutants: readonly TestsRun[],
): CheckResultOf<'tests-of-tests'> {
  const passes = (run: TestsRun) => run.exitCode === 0;
  const noTests = [...correct, ...mutants].some((o) => o.exitCode === NO_TESTS_COLLECTED);
  const wronglyFailed = correct.filter((o) => !passes(o));
  const missed = mutants.filter(passes);
  const labels = (runs: TestsRun[]) => runs.map((o) => o.label).join(', ');
  const evidence = {
    correct: correct.map((o) => ({
      label: o.label,
      passed: passes(o),
      ...(!passes(o) && { failedTests: o.failedTests, where: o.where }),
    })),
    mutants: mutants.map((o) => ({
      label: o.label,
      caught: !passes(o),
      ...(!passes(o) && { failedTests: o.failedTests }),
    })),
  };
  let sentence: string;
  if (noTests) sentence = 'pytest collected no tests from your test files';
  else if (wronglyFailed.length > 0)
    sentence = `your tests fail on ${wronglyFailed.length} of ${correct.length} correct implementations (${labels(wronglyFailed)}): they must accept any correct ${check.implementation}, not one particular file`;
  else if (missed.length > 0)
    sentence = `your tests pass on all ${correct.length} correct implementations but also on ${missed.length} of ${mutants.length} broken versions (${labels(missed)})`;
  else
    sentence = `your tests pass on all ${correct.length} correct implementations and catch all ${mutants.length} broken versions`;
  return decided(check, wronglyFailed.length === 0 && missed.length === 0 && !noTests, sentence, evidence);
}
