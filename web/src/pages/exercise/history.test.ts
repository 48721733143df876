import { describe, expect, it } from 'vitest';
import { historyOutcome } from './history';

describe('historyOutcome', () => {
  it.each([
    [{ kind: 'verify', state: 'finished', passed: true }, 'passed'],
    [{ kind: 'verify', state: 'finished', passed: false }, 'failed'],
    // Finished with no verdict: a check the machine could not decide.
    [{ kind: 'verify', state: 'finished', passed: null }, 'undecided'],
    [{ kind: 'verify', state: 'cancelled', passed: null }, 'cancelled'],
    [{ kind: 'run', state: 'failed', passed: null }, 'failed'],
    [{ kind: 'profile', state: 'running', passed: null }, 'running'],
  ] as const)('%o reads %s', (job, outcome) => {
    expect(historyOutcome(job)).toBe(outcome);
  });
});
