/**
 * Race: the program runs many times under a tiny thread switch interval, on several hidden
 * inputs; every run must print the reference solution's output for its input.
 */
import type { CheckResultOf } from '../verify-report.js';
import { tail, type ReferenceOutput } from './program-output.js';
import { decided, plural, type CheckOf } from './result.js';

/** One hidden input: the reference's output, and the distinct outcomes of the repeated runs. */
export interface RaceInput {
  expected: ReferenceOutput;
  /** Null when the repeat run produced no document; `failure` says why. */
  outcomes: { count: number; exitCode: number | null; stdout: string }[] | null;
  failure: string;
}

/** How many runs each hidden input gets, so that all inputs together make at least `repeat`. */
export const runsPerInput = (check: CheckOf<'race'>, inputs: number): number =>
  Math.ceil(check.repeat / inputs);

export function decideRace(check: CheckOf<'race'>, inputs: readonly RaceInput[]): CheckResultOf<'race'> {
  const total = runsPerInput(check, inputs.length) * inputs.length;
  let good = 0;
  // One flat list (what `perflab verify` prints), each outcome marked with its input.
  const outcomes = inputs.flatMap(({ expected, outcomes: seen }, i) => {
    const want = 'stdout' in expected ? expected.stdout : null;
    return (seen ?? []).map((o) => {
      const right = o.exitCode === 0 && o.stdout === want;
      if (right) good += o.count;
      return {
        input: i + 1,
        count: o.count,
        exitCode: o.exitCode,
        stdout: tail(o.stdout, 200),
        expected: right,
      };
    });
  });
  const evidence = {
    outcomes,
    // The reference solution's output for each hidden input: fresh inputs every
    // verification, so showing it teaches nothing a later verification could reuse.
    expectedStdout: inputs.map(({ expected }) => ('stdout' in expected ? tail(expected.stdout, 200) : null)),
    switchIntervalS: check.switchIntervalS,
    runs: total,
  };
  const referenceError = inputs.map((s) => s.expected).find((e) => 'error' in e);
  if (referenceError && 'error' in referenceError)
    return decided(check, false, referenceError.error, evidence);
  const missing = inputs.find((s) => s.outcomes === null);
  if (missing) return decided(check, false, missing.failure, evidence);
  const passed = good === total;
  const distinct = outcomes.filter((o) => !o.expected).length;
  const on = `on ${plural(inputs.length, 'hidden input')}`;
  return decided(
    check,
    passed,
    passed
      ? `all ${total} runs ${on} printed the reference solution's result under a ${check.switchIntervalS} s switch interval`
      : `${total - good} of ${total} runs ${on} printed something other than the reference solution's result (${plural(distinct, 'distinct wrong outcome')}): the result depends on how the threads are scheduled`,
    evidence,
  );
}
