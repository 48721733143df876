/**
 * Small parts the interview-prep pages share: a question's kind and state badges, the
 * new/learning/due/known counts, and the lazily loaded heavy parts (the recorded tool output
 * of a code-reading question, and full Markdown), so no page pays for them before it shows one.
 */
import { lazy, Suspense } from 'react';
import type { DrillCounts, DrillKind, DrillOutput, DrillSummary } from '../../api/drills';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { DrillText } from '../../lib/drill-text';

const DrillOutputView = lazy(() => import('../../components/DrillOutputView'));
const Markdown = lazy(() => import('../../components/Markdown').then((m) => ({ default: m.Markdown })));

const KIND_LABEL: Record<DrillKind, string> = {
  'quick-fire': 'quick-fire',
  scenario: 'scenario',
  'code-reading': 'code reading',
};

export function DrillKindBadge({ kind }: { kind: DrillKind }) {
  return <span className={`badge drill-kind drill-kind-${kind}`}>{KIND_LABEL[kind]}</span>;
}

export type DrillStatusName = DrillSummary['status'];

export const STATUS_LABEL: Record<DrillStatusName, string> = {
  new: 'new',
  learning: 'learning',
  due: 'due',
  known: 'known',
};

export function DrillStatusBadge({ status }: { status: DrillStatusName }) {
  return (
    <span className={`status drill-status-${status}`} data-status={status}>
      <span aria-hidden="true" className="status-dot" />
      {STATUS_LABEL[status]}
    </span>
  );
}

/** "12 due today · 3 due · 5 learning · 40 known · 87 new" as a definition-like list. */
export function DrillCountsList({ counts, label }: { counts: DrillCounts; label: string }) {
  const items: [string, number, string][] = [
    ['due today', counts.dueToday, 'due-today'],
    ['new', counts.new, 'new'],
    ['learning', counts.learning, 'learning'],
    ['due now', counts.due, 'due'],
    ['known', counts.known, 'known'],
  ];
  return (
    <ul className="drill-counts" aria-label={label} data-testid="drill-counts">
      {items.map(([name, value, key]) => (
        <li key={key} className={`drill-count drill-count-${key}`} data-count={key} data-value={value}>
          <strong>{value}</strong> {name}
        </li>
      ))}
    </ul>
  );
}

/** A code-reading question's recorded profile or timeit output, in perflab's own views. */
export function LazyDrillOutput({ output, sourceOpen }: { output: DrillOutput; sourceOpen?: boolean }) {
  return (
    <ErrorBoundary what="The recorded output">
      <Suspense fallback={<p className="muted small">Loading the recorded output…</p>}>
        <DrillOutputView output={output} sourceOpen={sourceOpen} />
      </Suspense>
    </ErrorBoundary>
  );
}

/** Course Markdown (markdown-it, highlighting), loaded the first time one is shown. */
export function LazyMarkdown({ source }: { source: string }) {
  return (
    <ErrorBoundary what="The answer">
      <Suspense fallback={<p className="muted small">Loading…</p>}>
        <Markdown source={source} />
      </Suspense>
    </ErrorBoundary>
  );
}

/** Starts loading the output views early (a queue with a code-reading question in it). */
export function preloadDrillOutput(): void {
  void import('../../components/DrillOutputView').catch(() => undefined);
}

/** The rubric: what a strong answer names (nothing when the question has none). */
export function KeyPoints({ points }: { points: string[] }) {
  if (points.length === 0) return null;
  return (
    <>
      <h3 className="panel-label">A strong answer names</h3>
      <ul className="drill-key-points">
        {points.map((point) => (
          <li key={point}>
            <DrillText source={point} />
          </li>
        ))}
      </ul>
    </>
  );
}
