/**
 * Typed readings of a check's `evidence` (a free-form record per check kind, written by
 * src/verify/engine.ts). Each reader returns null when the record lacks what its view needs,
 * and the report falls back to a plain list of the evidence.
 */
import type { CheckResult } from '../../../src/core/verify-report.js';

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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

/** The engine states the threshold in the sentence; a numeric `atLeast`/`within` in the evidence wins. */
function speedThreshold(check: CheckResult): SpeedThreshold | null {
  const { atLeast, within } = check.evidence;
  if (isNumber(atLeast)) return { kind: 'at-least', value: atLeast };
  if (isNumber(within)) return { kind: 'within', value: within };
  const needs = /needs at least ([\d.]+)×/.exec(check.sentence);
  if (needs) return { kind: 'at-least', value: Number(needs[1]) };
  const allowed = /allowed up to ([\d.]+)×/.exec(check.sentence);
  if (allowed) return { kind: 'within', value: Number(allowed[1]) };
  return null;
}

export function readSpeedEvidence(check: CheckResult): SpeedEvidence | null {
  const { speedup, interval, rounds, baselineMedianS, candidateMedianS } = check.evidence;
  if (!isNumber(speedup) || !Array.isArray(interval)) return null;
  const [low, high] = interval as unknown[];
  if (!isNumber(low) || !isNumber(high) || speedup <= 0 || low <= 0) return null;
  return {
    speedup,
    low,
    high,
    rounds: isNumber(rounds) ? rounds : null,
    baselineMedianS: isNumber(baselineMedianS) ? baselineMedianS : null,
    candidateMedianS: isNumber(candidateMedianS) ? candidateMedianS : null,
    threshold: speedThreshold(check),
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

function readPoints(value: unknown): TimedPoint[] | null {
  if (!Array.isArray(value)) return null;
  const points = value.filter(
    (p): p is TimedPoint => isRecord(p) && isNumber(p.n) && isNumber(p.timeS) && p.n > 0 && p.timeS > 0,
  );
  return points.length > 0 ? points : null;
}

function readFit(value: unknown): FitSummary | null {
  if (!isRecord(value) || typeof value.model !== 'string') return null;
  return { model: value.model, logLogSlope: isNumber(value.logLogSlope) ? value.logLogSlope : null };
}

export function readGrowthEvidence(evidence: Record<string, unknown>): GrowthEvidence | null {
  const learner = readPoints(evidence.learner);
  if (!learner) return null;
  return {
    learner,
    reference: readPoints(evidence.reference),
    learnerFit: readFit(evidence.learnerFit),
    referenceFit: readFit(evidence.referenceFit),
    limit: typeof evidence.limit === 'string' ? evidence.limit : null,
  };
}

export interface HangEvidence {
  stuck: string[];
  stdout: string;
  stderr: string;
  wallMs: number | null;
  exitCode: number | null;
}

export function readHangEvidence(evidence: Record<string, unknown>): HangEvidence | null {
  const { stuck, stdout, stderr, wallMs, exitCode } = evidence;
  if (!Array.isArray(stuck) && typeof stdout !== 'string' && typeof stderr !== 'string') return null;
  return {
    stuck: Array.isArray(stuck) ? stuck.filter((line): line is string => typeof line === 'string') : [],
    stdout: typeof stdout === 'string' ? stdout : '',
    stderr: typeof stderr === 'string' ? stderr : '',
    wallMs: isNumber(wallMs) ? wallMs : null,
    exitCode: isNumber(exitCode) ? exitCode : null,
  };
}
