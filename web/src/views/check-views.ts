/**
 * The display-only views a verification check may carry beside its figures
 * (src/core/checks/evidence.ts): a concurrency check's timeline of the run it judged, a memory
 * check's flame graph at the peak, and why either is missing. Read by name and shape-checked
 * here; the rest of the evidence stays for the plain list, so the same figure never shows twice.
 */
import type { Timeline } from '../../../src/core/concurrency/timeline.js';
import { TIMELINE_FORMAT } from '../../../src/core/concurrency/timeline.js';
import type { MemoryTreeNode } from '../../../src/core/documents.js';
import type { MemoryPeakView } from '../../../src/core/verify-report.js';

export interface CheckViews {
  timeline: Timeline | null;
  /** "Of 10 tasks, at most 1 was waiting on I/O at once." */
  concurrency: string | null;
  timelineSource: string | null;
  timelineMissing: string | null;
  memoryPeak: MemoryPeakView | null;
  memoryPeakMissing: string | null;
}

const VIEW_KEYS = [
  'timeline',
  'concurrency',
  'timelineSource',
  'timelineMissing',
  'memoryPeak',
  'memoryPeakMissing',
] as const;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

const isTimeline = (value: unknown): value is Timeline => {
  const t = value as Partial<Timeline> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    t.format === TIMELINE_FORMAT &&
    Array.isArray(t.lanes) &&
    Array.isArray(t.spans) &&
    Array.isArray(t.summary)
  );
};

const isTree = (value: unknown): value is MemoryTreeNode => {
  const node = value as Partial<MemoryTreeNode> | null;
  return (
    typeof node === 'object' &&
    node !== null &&
    typeof node.bytes === 'number' &&
    Array.isArray(node.children)
  );
};

/** The views of a check's evidence (nulls when absent or malformed) and the evidence without them. */
export function splitCheckViews(evidence: Record<string, unknown>): {
  views: CheckViews | null;
  rest: Record<string, unknown>;
} {
  if (!VIEW_KEYS.some((key) => evidence[key] !== undefined)) return { views: null, rest: evidence };
  const rest = Object.fromEntries(
    Object.entries(evidence).filter(([key]) => !(VIEW_KEYS as readonly string[]).includes(key)),
  );
  const peak = evidence.memoryPeak as Partial<MemoryPeakView> | undefined;
  return {
    rest,
    views: {
      timeline: isTimeline(evidence.timeline) ? evidence.timeline : null,
      concurrency: text(evidence.concurrency),
      timelineSource: text(evidence.timelineSource),
      timelineMissing: text(evidence.timelineMissing),
      memoryPeak:
        peak && typeof peak.peakBytes === 'number' && isTree(peak.tree) ? (peak as MemoryPeakView) : null,
      memoryPeakMissing: text(evidence.memoryPeakMissing),
    },
  };
}
