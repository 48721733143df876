import type { Timeline } from '../../../src/core/concurrency/timeline.js';
import { location } from '../../../src/core/names.js';
import { formatMs } from './format';
import { STATE_LABELS } from './timeline-layout';

/**
 * The hovered or focused span in words: its call, lane, state, start and duration, and its
 * stack (outermost first, the learner's own frames in bold). Announced politely to screen
 * readers as the keyboard moves between spans.
 */
export function TimelineSpanDetail({ timeline, span }: { timeline: Timeline; span: number | null }) {
  const shown = span === null ? undefined : timeline.spans[span];
  const lane = shown ? timeline.lanes[shown.lane] : undefined;
  return (
    <div className="pv-timeline-detail" aria-live="polite" data-testid="timeline-detail">
      {!shown ? (
        <span className="pv-muted pv-small">
          Hover over a span, or focus the chart and use the arrow keys, to see its call.
        </span>
      ) : (
        <>
          <p className="pv-timeline-detail-head">
            <strong className="pv-code">{shown.label}</strong>{' '}
            <span className={`pv-tl-badge pv-tl-badge-${shown.state}`}>{STATE_LABELS[shown.state]}</span> for{' '}
            {formatMs(shown.durUs / 1000)} from {formatMs(shown.startUs / 1000)}
            {lane && (
              <>
                {' '}
                in <span className="pv-strong">{lane.label}</span>
                <span className="pv-muted"> ({lane.processLabel})</span>
              </>
            )}
          </p>
          {shown.stack.length > 0 && (
            <ol className="pv-timeline-stack" aria-label="Stack, outermost call first">
              {shown.stack.map((frame, i) => (
                <li key={i} className={frame.origin === 'user' ? 'pv-strong' : 'pv-muted'}>
                  <span className="pv-code">{frame.name}</span>{' '}
                  <span className="pv-code pv-small">{location(frame)}</span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </div>
  );
}
