/**
 * The timeline: one lane per thread, process or asyncio task (grouped by process) over time,
 * each cut into spans coloured and sized by state — running (full height), waiting on I/O or
 * on a lock (shorter), idle (a thin bar) — so the states read without colour too. Hover or
 * keyboard focus names the call, its state, start, duration and stack. Drag across the plot,
 * or use the buttons / + − 0 keys, to zoom. Layout is the pure ./timeline-layout.ts.
 */
import {
  memo,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import type { LaneState, Timeline } from '../../../src/core/concurrency/timeline.js';
import { LANE_STATES } from '../../../src/core/concurrency/timeline.js';
import { formatMs } from './format';
import { timelineHeadline } from './timeline-summary';
import {
  STATE_LABELS,
  drawLane,
  formatTickUs,
  spanForKey,
  spansByLane,
  timeTicks,
  timelineRows,
  windowBetween,
  zoomWindow,
  type DrawnSpan,
  type TimelineRow,
  type TimeWindow,
} from './timeline-layout';
import { TimelineSpanDetail } from './TimelineSpanDetail';

const LABEL_PX = 190;
const AXIS_PX = 24;
const ROW_PX = 22;
/** Bar height per state (px of ROW_PX): a shape cue besides the colour. */
const BAR_PX: Record<LaneState, number> = { running: 16, 'waiting-io': 10, 'waiting-lock': 10, idle: 4 };
const DEFAULT_WIDTH_PX = 900;

export interface TimelineViewProps {
  timeline: Timeline;
  /** URL of the trace.json download (Chrome trace events), when the job has one. */
  traceUrl?: string;
  /** A smaller heading, for a verification check's evidence. */
  compact?: boolean;
}

const usToMs = (us: number) => formatMs(us / 1000);

export function TimelineView({ timeline, traceUrl, compact = false }: TimelineViewProps) {
  const hintId = useId();
  const container = useRef<HTMLDivElement>(null);
  const [widthPx, setWidthPx] = useState(DEFAULT_WIDTH_PX);
  const full: TimeWindow = { startUs: 0, endUs: Math.max(timeline.durationUs, 1) };
  const [range, setRange] = useState<TimeWindow>(full);
  const [focused, setFocused] = useState<number | null>(null);
  const [hover, setHover] = useState<{ span: number; xPx: number; yPx: number } | null>(null);
  const [drag, setDrag] = useState<{ fromUs: number; toUs: number } | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidthPx(Math.max(320, Math.floor(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const rows = useMemo(() => timelineRows(timeline), [timeline]);
  const byLane = useMemo(() => spansByLane(timeline), [timeline]);
  const laneOrder = useMemo(() => rows.flatMap((r) => (r.kind === 'lane' ? [r.lane] : [])), [rows]);
  const plotPx = Math.max(100, widthPx - LABEL_PX - 8);
  const drawn = useMemo(
    () =>
      rows.map((row) =>
        row.kind === 'lane' ? drawLane(timeline.spans, byLane[row.lane] ?? [], range, plotPx) : [],
      ),
    [rows, byLane, timeline.spans, range, plotPx],
  );
  const ticks = useMemo(() => timeTicks(range, Math.max(2, Math.floor(plotPx / 110))), [range, plotPx]);

  if (timeline.lanes.length === 0 || timeline.spans.length === 0) {
    return (
      <div className="pv-timeline" data-testid="timeline">
        <p className="pv-muted">The timeline recorded no spans.</p>
        <TimelineNotes timeline={timeline} />
      </div>
    );
  }

  const windowUs = range.endUs - range.startUs;
  const usAt = (xPx: number) => range.startUs + (Math.min(Math.max(xPx, 0), plotPx) / plotPx) * windowUs;
  const pxAt = (us: number) => ((us - range.startUs) / windowUs) * plotPx;
  const zoomed = range.startUs > 0 || range.endUs < full.endUs;
  const zoom = (factor: number, centreUs = (range.startUs + range.endUs) / 2) =>
    setRange(zoomWindow(range, factor, centreUs, full.endUs));

  const plotX = (event: PointerEvent<SVGElement>) => {
    const svg = event.currentTarget.ownerSVGElement ?? (event.currentTarget as SVGSVGElement);
    return event.clientX - svg.getBoundingClientRect().left - LABEL_PX;
  };
  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if (event.button !== 0) return;
    const us = usAt(plotX(event));
    setDrag({ fromUs: us, toUs: us });
    event.currentTarget.setPointerCapture?.(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (drag) setDrag({ ...drag, toUs: usAt(plotX(event)) });
    const target = event.target as SVGElement;
    const span = target.dataset?.span;
    const box = event.currentTarget.getBoundingClientRect();
    if (span !== undefined && !drag)
      setHover({ span: Number(span), xPx: event.clientX - box.left, yPx: event.clientY - box.top });
    else if (span === undefined) setHover(null);
  };
  const onPointerUp = (event: PointerEvent<SVGSVGElement>) => {
    if (!drag) return;
    const draggedPx = Math.abs(pxAt(drag.toUs) - pxAt(drag.fromUs));
    setDrag(null);
    if (draggedPx >= 5) {
      setRange(windowBetween(drag.fromUs, drag.toUs, full.endUs));
      return;
    }
    const span = (event.target as SVGElement).dataset?.span;
    if (span !== undefined) setFocused(Number(span));
  };

  const moveFocus = (index: number) => {
    setFocused(index);
    const span = timeline.spans[index];
    // Keep the focused span in view: pan the range to it without changing the zoom.
    if (span && (span.startUs + span.durUs <= range.startUs || span.startUs >= range.endUs)) {
      setRange(zoomWindow(range, 1, span.startUs + span.durUs / 2, full.endUs));
    }
  };
  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const key = event.key;
    let handled = true;
    if (key === '+' || key === '=') zoom(0.5, focusedCentre() ?? undefined);
    else if (key === '-' || key === '_') zoom(2, focusedCentre() ?? undefined);
    else if (key === '0') setRange(full);
    else if (key === 'Escape') setFocused(null);
    else if (focused === null && key.startsWith('Arrow')) moveFocus(firstVisibleSpan());
    else if (focused !== null) {
      const next = spanForKey(timeline, byLane, laneOrder, focused, key);
      if (next === null) handled = key.startsWith('Arrow') || key === 'Home' || key === 'End';
      else moveFocus(next);
    } else handled = false;
    if (handled) event.preventDefault();
  };
  const focusedCentre = () => {
    const span = focused === null ? undefined : timeline.spans[focused];
    return span ? span.startUs + span.durUs / 2 : null;
  };
  const firstVisibleSpan = () => {
    for (const lane of laneOrder) {
      const first = drawn[rows.findIndex((r) => r.kind === 'lane' && r.lane === lane)]?.[0];
      if (first) return first.span;
    }
    return byLane[laneOrder[0] as number]?.[0] ?? 0;
  };

  const heightPx = AXIS_PX + rows.length * ROW_PX + 4;
  const shown = hover?.span ?? focused;
  const shownSpan = shown === null ? undefined : timeline.spans[shown];
  const focusedSpan = focused === null ? undefined : timeline.spans[focused];
  const rowOfLane = new Map(rows.flatMap((r, i) => (r.kind === 'lane' ? [[r.lane, i] as const] : [])));

  return (
    <div className={`pv-timeline${compact ? ' pv-timeline-compact' : ''}`} data-testid="timeline">
      <p className="pv-timeline-summary" data-testid="timeline-summary">
        {timelineHeadline(timeline)}
      </p>
      <div className="pv-toolbar">
        <button type="button" className="pv-button" onClick={() => zoom(0.5)}>
          Zoom in
        </button>
        <button type="button" className="pv-button" onClick={() => zoom(2)} disabled={!zoomed}>
          Zoom out
        </button>
        <button type="button" className="pv-button" onClick={() => setRange(full)} disabled={!zoomed}>
          Reset zoom
        </button>
        <span className="pv-muted pv-small" aria-live="polite">
          {zoomed
            ? `Showing ${usToMs(range.startUs)} to ${usToMs(range.endUs)} of ${usToMs(full.endUs)}`
            : `Whole run: ${usToMs(full.endUs)}`}
        </span>
      </div>
      <p id={hintId} className="pv-muted pv-small">
        Drag across the lanes to zoom into that time. With the chart focused: arrow keys move between spans (←
        → along a lane, ↑ ↓ to the lane above or below), + and − zoom, 0 resets.
      </p>
      <div className="pv-timeline-plot" ref={container}>
        <svg
          width={widthPx}
          height={heightPx}
          role="group"
          aria-label={`Timeline of ${timeline.lanes.length} lanes`}
          aria-describedby={hintId}
          tabIndex={0}
          className="pv-timeline-svg"
          data-testid="timeline-chart"
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => setHover(null)}
        >
          <g transform={`translate(${LABEL_PX},0)`} className="pv-timeline-axis" aria-hidden="true">
            {ticks.map((t) => (
              <g key={t} transform={`translate(${pxAt(t)},0)`}>
                <line y1={AXIS_PX - 6} y2={heightPx} className="pv-timeline-grid" />
                <text y={AXIS_PX - 9} textAnchor="middle">
                  {formatTickUs(t, windowUs)}
                </text>
              </g>
            ))}
          </g>
          <PlotLanes rows={rows} drawn={drawn} />
          {focusedSpan && rowOfLane.has(focusedSpan.lane) && (
            <rect
              className="pv-tl-focus-ring"
              aria-hidden="true"
              x={LABEL_PX + Math.max(0, pxAt(focusedSpan.startUs)) - 2}
              y={AXIS_PX + (rowOfLane.get(focusedSpan.lane) as number) * ROW_PX + 1}
              width={Math.max(
                4,
                pxAt(focusedSpan.startUs + focusedSpan.durUs) - Math.max(0, pxAt(focusedSpan.startUs)) + 4,
              )}
              height={ROW_PX - 2}
            />
          )}
          {drag && (
            <rect
              className="pv-tl-drag"
              x={LABEL_PX + Math.min(pxAt(drag.fromUs), pxAt(drag.toUs))}
              y={AXIS_PX}
              width={Math.abs(pxAt(drag.toUs) - pxAt(drag.fromUs))}
              height={heightPx - AXIS_PX}
            />
          )}
        </svg>
        {hover && shownSpan && (
          <div
            className="pv-timeline-tooltip"
            data-testid="timeline-tooltip"
            style={{ left: Math.min(hover.xPx + 12, widthPx - 260), top: hover.yPx + 14 }}
            aria-hidden="true"
          >
            <strong className="pv-code">{shownSpan.label}</strong>
            <span>
              {STATE_LABELS[shownSpan.state]} · {usToMs(shownSpan.durUs)} from {usToMs(shownSpan.startUs)}
            </span>
          </div>
        )}
      </div>
      <TimelineSpanDetail timeline={timeline} span={shown} />
      <TimelineLegend />
      <TimelineNotes timeline={timeline} />
      {traceUrl && (
        <p className="pv-downloads">
          <a href={traceUrl} download="trace.json" data-testid="trace-download">
            Download trace (open in Perfetto)
          </a>{' '}
          <span className="pv-muted">
            — at ui.perfetto.dev choose “Open trace file”, or load it in chrome://tracing.
          </span>
        </p>
      )}
    </div>
  );
}

export default TimelineView;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The lanes' labels and rectangles: memoised, so hovering (which re-renders the view for the
 * tooltip) does not redraw thousands of rectangles.
 */
const PlotLanes = memo(function PlotLanes({
  rows,
  drawn,
}: {
  rows: readonly TimelineRow[];
  drawn: readonly (readonly DrawnSpan[])[];
}) {
  const indent = rows.some((x) => x.kind === 'process') ? 14 : 4;
  return rows.map((row, r) => {
    const y = AXIS_PX + r * ROW_PX;
    if (row.kind === 'process')
      return (
        <text key={`p${row.pid}`} x={4} y={y + ROW_PX - 6} className="pv-timeline-process">
          {clip(row.label, 44)}
        </text>
      );
    return (
      <g key={`l${row.lane}`} data-testid="timeline-lane" data-lane-label={row.label}>
        <text x={indent} y={y + ROW_PX - 6}>
          <title>{row.label}</title>
          {clip(row.label, 26)}
        </text>
        <g transform={`translate(${LABEL_PX},${y})`}>
          {(drawn[r] ?? []).map((d) => (
            <rect
              key={d.span}
              x={d.xPx}
              y={(ROW_PX - BAR_PX[d.state]) / 2}
              width={Math.max(d.widthPx, 1)}
              height={BAR_PX[d.state]}
              className={`pv-tl-${d.state}`}
              data-testid="timeline-span"
              data-span={d.span}
              data-state={d.state}
            />
          ))}
        </g>
      </g>
    );
  });
});

function TimelineLegend() {
  return (
    <ul className="pv-legend" aria-label="Span states">
      {LANE_STATES.map((state) => (
        <li key={state}>
          <svg width="18" height="12" aria-hidden="true">
            <rect
              x="0"
              y={(12 - BAR_PX[state] * 0.7) / 2}
              width="18"
              height={BAR_PX[state] * 0.7}
              className={`pv-tl-${state}`}
            />
          </svg>
          {STATE_LABELS[state]}
        </li>
      ))}
    </ul>
  );
}

function TimelineNotes({ timeline }: { timeline: Timeline }) {
  const notes = [
    timeline.source === 'py-spy' && timeline.sampleRateHz
      ? `Built from py-spy's samples at ${timeline.sampleRateHz} per second: spans shorter than ${formatMs(1000 / timeline.sampleRateHz)} may be missing.`
      : null,
    timeline.truncated ? 'Short spans were merged or left out to keep the timeline small.' : null,
    ...timeline.notes,
  ].filter((n): n is string => n !== null);
  if (notes.length === 0) return null;
  return (
    <ul className="pv-muted pv-small pv-timeline-notes">
      {notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}
