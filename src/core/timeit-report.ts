import type { TimeitCandidateSamples } from './documents.js';
import { ratioOfMedians, summariseSamples, type RatioEstimate, type SampleSummary } from './stats.js';

export interface TimeitCandidateReport {
  expr: string;
  loopsPerSample: number;
  /** Seconds per loop. */
  summary: SampleSummary;
  /** Against the fastest candidate (by median); 1 for the fastest itself. */
  relativeToFastest: RatioEstimate;
}

export interface TimeitReport {
  fastest: string;
  candidates: TimeitCandidateReport[];
}

export function buildTimeitReport(candidates: readonly TimeitCandidateSamples[]): TimeitReport {
  const summaries = candidates.map((c) => ({ candidate: c, summary: summariseSamples(c.samplesS) }));
  const fastest = summaries.reduce((best, next) => (next.summary.median < best.summary.median ? next : best));
  return {
    fastest: fastest.candidate.expr,
    candidates: summaries.map(({ candidate, summary }) => ({
      expr: candidate.expr,
      loopsPerSample: candidate.loopsPerSample,
      summary,
      relativeToFastest:
        candidate === fastest.candidate
          ? { ratio: 1, low: 1, high: 1 }
          : ratioOfMedians(candidate.samplesS, fastest.candidate.samplesS),
    })),
  };
}
