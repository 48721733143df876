/**
 * What the evidence views draw, read from a check's typed evidence (src/core/checks/evidence.ts).
 * Every field is read by name, never recovered from the sentence. Each reader returns null when
 * the evidence lacks what its view needs (a check the grader did not measure, a report stored
 * by an older version), and the report falls back to a plain list of the evidence.
 */
import type { CheckResultOf, EvidenceOf } from '../../../src/core/verify-report.js';

const isPositive = (value: number | null | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

export interface SpeedThreshold {
  /** at-least: the learner must be this many times faster than the starter; within: at most this many times the reference's time. */
  kind: 'at-least' | 'within';
  value: number;
}

export interface SpeedEvidence {
  /** Baseline time / learner time, with its 95 % interval. */
  speedup: number;
  low: number;
  high: number;
  rounds: number | null;
  baselineMedianS: number | null;
  candidateMedianS: number | null;
  threshold: SpeedThreshold | null;
}

/** The authored rule: `atLeast` (× faster than the starter) or `within` (× the reference's time). */
function speedThreshold(evidence: EvidenceOf<'speed'>): SpeedThreshold | null {
  if (isPositive(evidence.atLeast)) return { kind: 'at-least', value: evidence.atLeast };
  if (isPositive(evidence.within)) return { kind: 'within', value: evidence.within };
  return null;
}

/** The speed-up on a log axis: null unless the speed-up and its interval are positive. */
export function readSpeedEvidence(check: CheckResultOf<'speed'>): SpeedEvidence | null {
  const { speedup, interval, rounds, baselineMedianS, candidateMedianS } = check.evidence;
  const [low, high] = interval ?? [];
  if (!isPositive(speedup) || !isPositive(low) || !isPositive(high)) return null;
  return {
    speedup,
    low,
    high,
    rounds: rounds ?? null,
    baselineMedianS: baselineMedianS ?? null,
    candidateMedianS: candidateMedianS ?? null,
    threshold: speedThreshold(check.evidence),
  };
}

export interface TimedPoint {
  n: number;
  timeS: number;
}

export interface FitSummary {
  model: string;
  logLogSlope: number | null;
}

export interface GrowthEvidence {
  learner: TimedPoint[];
  reference: TimedPoint[] | null;
  learnerFit: FitSummary | null;
  referenceFit: FitSummary | null;
  limit: string | null;
}

/** Points a log-log plot can draw (both coordinates positive); null when none is left. */
function plottable(points: readonly TimedPoint[] | null | undefined): TimedPoint[] | null {
  const kept = (points ?? []).filter((p) => isPositive(p.n) && isPositive(p.timeS));
  return kept.length > 0 ? kept : null;
}

const fitSummary = (fit: EvidenceOf<'growth'>['learnerFit'] | null): FitSummary | null =>
  fit ? { model: fit.model, logLogSlope: Number.isFinite(fit.logLogSlope) ? fit.logLogSlope : null } : null;

export function readGrowthEvidence(evidence: EvidenceOf<'growth'>): GrowthEvidence | null {
  const learner = plottable(evidence.learner);
  if (!learner) return null;
  return {
    learner,
    reference: plottable(evidence.reference),
    learnerFit: fitSummary(evidence.learnerFit ?? null),
    referenceFit: fitSummary(evidence.referenceFit ?? null),
    limit: evidence.limit ?? null,
  };
}

export interface HangEvidence {
  stuck: string[];
  stdout: string;
  stderr: string;
  wallMs: number | null;
  exitCode: number | null;
}

/** What the run printed and where it was stuck; null when the evidence holds none of it. */
export function readHangEvidence(evidence: EvidenceOf<'hang'>): HangEvidence | null {
  const { stuck, stdout, stderr, wallMs, exitCode } = evidence;
  if (stuck === undefined && stdout === undefined && stderr === undefined) return null;
  return {
    stuck: stuck ?? [],
    stdout: stdout ?? '',
    stderr: stderr ?? '',
    wallMs: wallMs ?? null,
    exitCode: exitCode ?? null,
  };
}
