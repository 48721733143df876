/**
 * A check's timeline (overlap, CPU scaling, the race) or flame graph at the peak (memory per
 * instance), under its figures. Display only: the verdict never rests on them (their data
 * may come from the learner's process), which the panel says.
 */
import { lazy, Suspense, useMemo } from 'react';
import { memoryFlame } from '../../../src/core/concurrency/memory-flame.js';
import type { MemoryPeakView } from '../../../src/core/verify-report.js';
import type { CheckViews } from './check-views';
import { FlameGraph } from './FlameGraph';
import { formatBytes } from './format';

// The timeline's code loads only for a report that carries one.
const TimelineView = lazy(() => import('./TimelineView'));

export function CheckViewsPanel({ views }: { views: CheckViews }) {
  const { timeline, concurrency, timelineSource, timelineMissing, memoryPeak, memoryPeakMissing } = views;
  return (
    <div className="pv-check-views" data-testid="check-views">
      {concurrency && <p className="pv-strong pv-check-concurrency">{concurrency}</p>}
      {timeline && (
        <details className="pv-check-view" open data-testid="check-timeline">
          <summary>Timeline of the run{timelineSource ? ` (${timelineSource})` : ''}</summary>
          <Suspense fallback={<p className="pv-muted">Loading the timeline…</p>}>
            <TimelineView timeline={timeline} compact />
          </Suspense>
        </details>
      )}
      {!timeline && timelineMissing && <p className="pv-muted pv-small">No timeline: {timelineMissing}</p>}
      {memoryPeak && <MemoryPeak peak={memoryPeak} />}
      {!memoryPeak && memoryPeakMissing && (
        <p className="pv-muted pv-small">No flame graph of the peak: {memoryPeakMissing}</p>
      )}
      {(timeline || memoryPeak) && (
        <p className="pv-muted pv-small">
          Shown to explain the verdict; the verdict rests on the figures above.
        </p>
      )}
    </div>
  );
}

function MemoryPeak({ peak }: { peak: MemoryPeakView }) {
  const flame = useMemo(() => memoryFlame(peak.tree), [peak.tree]);
  return (
    <details className="pv-check-view" open data-testid="check-memory-peak">
      <summary>
        Memory at the peak: {formatBytes(peak.peakBytes)}
        {peak.source ? ` (${peak.source})` : ''}
      </summary>
      <FlameGraph callTree={flame.callTree} functions={flame.functions} unit="bytes" />
      {(peak.trimmedNodes ?? 0) > 0 && (
        <p className="pv-muted pv-small">
          {peak.trimmedNodes} smaller call sites are folded into their callers.
        </p>
      )}
    </details>
  );
}
