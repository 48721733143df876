/**
 * Building a check's result, shared by every kind's decider. A decider is pure: it gets the
 * authored check and the measurements, and returns a result (or, for the function-level kinds
 * that measure until decided, what more it needs).
 */
import type { AuthoredCheck, CheckKind } from '../exercise.js';
import type { CheckResultOf, EvidenceOf } from '../verify-report.js';

/** The authored check of kind K (its rule: thresholds, limits, inputs). */
export type CheckOf<K extends CheckKind> = Extract<AuthoredCheck, { kind: K }>;

/**
 * A check the measurement so far cannot decide. `rounds`: a speed interval still straddles
 * its threshold below the round cap; more rounds now narrow it. `wait`: the machine is too
 * busy or noisy to decide right now (too little parallel capacity to show CPU scaling, or a
 * speed interval still wide at the round cap); waiting and measuring afresh may decide it.
 */
export interface NeedsMore {
  more: 'rounds' | 'wait';
  /** Why, for the progress line: "the machine is too busy to show CPU scaling (…)". */
  reason: string;
}

/** A passed or failed check. */
export function decided<K extends CheckKind>(
  check: { id: string; kind: K; title?: string },
  passed: boolean,
  sentence: string,
  evidence: EvidenceOf<K>,
): CheckResultOf<K> {
  return {
    id: check.id,
    kind: check.kind,
    title: check.title ?? check.id,
    passed,
    status: passed ? 'passed' : 'failed',
    sentence,
    evidence,
  };
}

/** A check this machine could not decide now: never passed, never failed. */
export function undecided<K extends CheckKind>(
  check: { id: string; kind: K; title?: string },
  sentence: string,
  evidence: EvidenceOf<K>,
): CheckResultOf<K> {
  return { ...decided(check, false, sentence, evidence), status: 'undecided' };
}

/** What an undecided sentence ends with: the learner is not at fault, and can try again. */
export const NOT_YOUR_CODE =
  'this says nothing against your code — run perflab verify again when the machine is quieter';

/** "s" when `count` is not 1: "1 hidden input", "3 hidden inputs". */
export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
