/**
 * The function-level kinds, measured by the grader (harness mode `grade`): one decider per
 * kind, chosen here from the measurement. Pure: no sandbox, no clock. `finalRound`: no more
 * measurements will be taken, so a check this machine could not decide becomes `undecided`
 * (never `failed`: "never fail a learner on noise").
 */
import type { Measurement } from '../documents.js';
import type { AuthoredCheck } from '../exercise.js';
import type { CheckResult } from '../verify-report.js';
import { decideCorrectness } from './correctness.js';
import { decideCpuScaling } from './cpu-scaling.js';
import { decideGrowth } from './growth.js';
import { decideMemoryPerInstance } from './memory-per-instance.js';
import { decideOverlap } from './overlap.js';
import { decided, type CheckOf, type NeedsMore } from './result.js';
import { decideSpeed } from './speed.js';

/** The kinds the grader measures; the others are program-level checks (core/checks/program-level). */
export const FUNCTION_LEVEL_KINDS = [
  'correctness',
  'speed',
  'growth',
  'memory-per-instance',
  'overlap',
  'cpu-scaling',
] as const;

export const isFunctionLevel = (check: AuthoredCheck): boolean =>
  (FUNCTION_LEVEL_KINDS as readonly string[]).includes(check.kind);

export function decideFunctionCheck(
  check: AuthoredCheck,
  m: Measurement | undefined,
  finalRound: boolean,
): CheckResult | NeedsMore {
  if (!m) return unmeasured(check, 'the grader produced no measurement for this check');
  if (m.error) return unmeasured(check, m.error, m);
  if (check.kind === 'correctness' && m.kind === 'correctness') return decideCorrectness(check, m);
  if (check.kind === 'speed' && m.kind === 'speed') return decideSpeed(check, m, finalRound);
  if (check.kind === 'growth' && m.kind === 'growth') return decideGrowth(check, m);
  if (check.kind === 'memory-per-instance' && m.kind === 'memory-per-instance')
    return decideMemoryPerInstance(check, m);
  if (check.kind === 'overlap' && m.kind === 'overlap') return decideOverlap(check, m);
  if (check.kind === 'cpu-scaling' && m.kind === 'cpu-scaling') return decideCpuScaling(check, m, finalRound);
  return unmeasured(check, `measurement kind ${m.kind} does not match the check kind ${check.kind}`);
}

/**
 * A failed check without a measurement to judge (none, or the grader's error). Every kind's
 * evidence may be empty or hold the raw measurement, so the one-kind cast below is sound.
 */
export function unmeasured(check: AuthoredCheck, sentence: string, measurement?: Measurement): CheckResult {
  const evidence = measurement ? { measurement } : {};
  return decided(check as CheckOf<'correctness'>, false, sentence, evidence) as CheckResult;
}
