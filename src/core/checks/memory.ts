/**
 * What the memory kinds (peak, streaming) share: a run's two peak figures, the one a verdict
 * rests on, and the allocation sites that explain a failed check.
 */
import type { AllocationSiteEvidence } from '../verify-report.js';
import type { ProgramRun } from './program-output.js';

/** The two figures of a run's peak memory, in KiB. */
export interface PeakFigures {
  /** What the harness wrote in its document: getrusage of the program's processes (learner code can forge it). */
  reportedKb: number | null;
  /** What the kernel measured for the whole run, less the bytes of the staged files. */
  kernelKb: number;
}

/** A memory check's run: its output and its peak figures. */
export interface MemoryRun extends ProgramRun {
  figures: PeakFigures;
}

/**
 * The peak a memory-peak verdict rests on, in MiB: the document's figure, floored by the
 * kernel's. A document that claims less than the kernel saw is not believed; one that claims
 * more only hurts the learner.
 */
export function verdictPeakMb(figures: PeakFigures): number {
  return Math.max(figures.reportedKb ?? 0, figures.kernelKb) / 1024;
}

/** MiB with one decimal, as the evidence records them. */
export const roundMb = (kb: number): number => Math.round((kb / 1024) * 10) / 10;

/** A failed memory check's verdict, and the run whose allocation sites would explain it (null: none needed). */
export interface MemoryVerdict<R> {
  result: R;
  explain: number | null;
}

/**
 * The failed result with where the memory was at the peak: "; at the peak, the most was
 * allocated at search.py:7 (41.2 MB: `lines = f.readlines()`)". Unchanged without sites.
 */
export function withAllocationSites<R extends { sentence: string; evidence: object }>(
  result: R,
  sites: AllocationSiteEvidence[] | null,
): R {
  const top = sites?.[0];
  if (!sites || !top) return result;
  const source = top.source ? `: \`${top.source}\`` : '';
  return {
    ...result,
    sentence: `${result.sentence}; at the peak, the most was allocated at ${top.where} (${top.sizeMb.toFixed(1)} MB${source})`,
    evidence: { ...result.evidence, allocationSitesAtPeak: sites },
  };
}
