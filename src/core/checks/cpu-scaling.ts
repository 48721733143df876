/**
 * CPU scaling: the learner's version must beat the serial one by a share of what the machine
 * could give while measuring (its parallel capacity), not only by its CPU count, so another
 * program's load never fails a correct solution. Too little capacity on a multi-CPU machine
 * cannot show scaling: wait and measure afresh, then undecided.
 */
import type { Measurement } from '../documents.js';
import { formatRatio } from '../format.js';
import { median } from '../stats.js';
import type { CheckResultOf } from '../verify-report.js';
import { decided, NOT_YOUR_CODE, plural, undecided, type CheckOf, type NeedsMore } from './result.js';

/** Below this parallel capacity (speed-up k busy processes get over one), scaling cannot be judged. */
export const MIN_CAPACITY_TO_JUDGE = 1.3;
/** The share of the capacity's gain over one CPU the learner's version must reach. */
const REQUIRED_SHARE_OF_GAIN = 0.4;
/** On one CPU nothing can scale: the parallel version may only be a little slower than serial. */
const ONE_CPU_REQUIRED = 0.8;

/** The speed-up over serial this machine asks for, given its capacity. */
export function requiredScaling(cpusAvailable: number, capacity: number): number {
  return cpusAvailable >= 2 ? 1 + REQUIRED_SHARE_OF_GAIN * (capacity - 1) : ONE_CPU_REQUIRED;
}

export function decideCpuScaling(
  check: CheckOf<'cpu-scaling'>,
  m: Extract<Measurement, { kind: 'cpu-scaling' }>,
  finalRound: boolean,
): CheckResultOf<'cpu-scaling'> | NeedsMore {
  const speedup = median(m.learnerS.map((l, i) => (m.serialS[i] as number) / l));
  const capacity = m.capacity && m.capacity.length > 0 ? median(m.capacity) : m.cpusAvailable;
  const cpus = m.cpusAvailable;
  const evidence = { speedup, capacity, cpusAvailable: cpus, learnerS: m.learnerS, serialS: m.serialS };
  if (cpus >= 2 && capacity < MIN_CAPACITY_TO_JUDGE) {
    const busy = `${cpus} CPUs, but ${cpus} busy processes ran only ${formatRatio(capacity)} faster than one`;
    if (!finalRound) return { more: 'wait', reason: `the machine is too busy to show CPU scaling (${busy})` };
    return undecided(
      check,
      `could not be decided on this machine now: it was too busy to show CPU scaling (${busy}); ${NOT_YOUR_CODE}`,
      evidence,
    );
  }
  const required = requiredScaling(cpus, capacity);
  return decided(
    check,
    m.resultOk && speedup >= required,
    `${formatRatio(speedup)} faster than the serial version on ${plural(cpus, 'CPU')} ` +
      `(the machine could give up to ${formatRatio(capacity)}); needs ≥ ${formatRatio(required)} here` +
      (m.resultOk ? '' : '; the results differ from the reference'),
    { ...evidence, required },
  );
}
