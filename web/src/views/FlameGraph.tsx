import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ProfiledFunction } from '../../../src/core/documents.js';
import { displayName, location } from '../../../src/core/names.js';
import type { CallTreeNode } from '../../../src/core/profile-model.js';
import {
  ALL_FUNCTION_ID,
  layoutFrames,
  neighbour,
  nodeAt,
  pathKey,
  wholeProgram,
  type FlameFrame,
} from './flame-layout';
import { formatBytes, formatCount, formatMs, formatPercent } from './format';
import { ORIGIN_LABELS, type FunctionRef } from './profile-types';
import { ShowInEditor } from './ShowInEditor';

/** Row height in px; matches .pv-frame's height in styles/profile.css. */
const ROW_PX = 24;

/**
 * A function the graph can name: cProfile's (with its call count), py-spy's or memray's
 * (`native`: a C/C++ frame, marked as such).
 */
export type FlameFunction = Pick<ProfiledFunction, 'id' | 'name' | 'file' | 'line' | 'origin'> & {
  ncalls?: number;
  native?: boolean;
};

/** What a node's totalMs/selfMs carry: milliseconds (a profile), or bytes (memory at the peak). */
export type FlameUnit = 'ms' | 'bytes';

interface FlameGraphProps {
  callTree: readonly CallTreeNode[];
  functions: readonly FlameFunction[];
  unit?: FlameUnit;
  onSelectFunction?: (fn: FunctionRef) => void;
}

const UNIT_TEXT: Record<
  FlameUnit,
  { format: (n: number) => string; of: string; width: string; empty: string }
> = {
  ms: {
    format: formatMs,
    of: 'of the run',
    width: 'Width is time.',
    empty: 'The profile recorded no time, so there is no call tree.',
  },
  bytes: {
    format: formatBytes,
    of: 'of the peak',
    width: 'Width is memory in use at the peak.',
    empty: 'No memory was in use at the peak, so there is no allocation tree.',
  },
};

/**
 * An icicle of the call tree: callers above callees, width proportional to time. Frames are
 * buttons with a roving tabindex, so the graph is one Tab stop and arrow keys move inside it.
 */
export function FlameGraph({ callTree, functions, unit = 'ms', onSelectFunction }: FlameGraphProps) {
  const text = UNIT_TEXT[unit];
  const hintId = useId();
  const root = useMemo(() => wholeProgram(callTree), [callTree]);
  const byId = useMemo(() => new Map(functions.map((f) => [f.id, f])), [functions]);
  const [zoomPath, setZoomPath] = useState<number[]>([]);
  const [activeKey, setActiveKey] = useState('');
  const [hoverKey, setHoverKey] = useState<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const frames = useMemo(() => layoutFrames(root, zoomPath), [root, zoomPath]);

  if (root.totalMs <= 0) return <p className="pv-muted">{text.empty}</p>;

  const nameOf = (node: CallTreeNode) => {
    const fn = byId.get(node.functionId);
    if (node.functionId === ALL_FUNCTION_ID) return 'all';
    if (!fn) return `function #${node.functionId}`;
    return fn.native ? `${displayName(fn)} [native]` : displayName(fn);
  };
  const active = frames.find((f) => f.key === activeKey) ?? (frames[0] as FlameFrame);
  const described = frames.find((f) => f.key === hoverKey) ?? active;
  const depth = Math.max(...frames.map((f) => f.depth)) + 1;

  const zoomTo = (path: number[]) => {
    setZoomPath(path);
    setActiveKey(pathKey(path));
  };
  const moveFocus = (frame: FlameFrame) => {
    setActiveKey(frame.key);
    buttons.current.get(frame.key)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' && zoomPath.length > 0) {
      event.preventDefault();
      setZoomPath(zoomPath.slice(0, -1));
    } else if (event.key === 'Home') {
      event.preventDefault();
      moveFocus(frames[0] as FlameFrame);
    } else {
      const next = neighbour(frames, active, event.key);
      if (next) {
        event.preventDefault();
        moveFocus(next);
      }
    }
  };

  const label = (frame: FlameFrame) => {
    const fn = byId.get(frame.node.functionId);
    const where = fn ? location(fn) : '';
    return `${nameOf(frame.node)}${where ? ` (${where})` : ''}: ${text.format(frame.node.totalMs)}, ${formatPercent(frame.node.totalMs / root.totalMs)} ${text.of}`;
  };

  return (
    <div className="pv-flame">
      <div className="pv-toolbar">
        <Breadcrumb root={root} zoomPath={zoomPath} nameOf={nameOf} onZoom={zoomTo} />
        <button
          type="button"
          className="pv-button"
          onClick={() => zoomTo([])}
          disabled={zoomPath.length === 0}
        >
          Reset zoom
        </button>
      </div>
      <p id={hintId} className="pv-muted pv-small">
        {text.width} Click a frame or press Enter to zoom in; Escape zooms out; arrow keys move between
        frames.
      </p>
      <div
        className="pv-flame-graph"
        data-testid="flame-graph"
        role="group"
        aria-label={unit === 'bytes' ? 'Flame graph of memory at the peak' : 'Flame graph of the call tree'}
        aria-describedby={hintId}
        style={{ height: depth * ROW_PX }}
        onKeyDown={onKeyDown}
        onMouseLeave={() => setHoverKey(null)}
      >
        {frames.map((frame) => {
          const fn = byId.get(frame.node.functionId);
          return (
            <button
              key={frame.key}
              ref={(element) => {
                if (element) buttons.current.set(frame.key, element);
                else buttons.current.delete(frame.key);
              }}
              type="button"
              className={`pv-frame pv-origin-${fn?.origin ?? 'all'}${fn?.native ? ' pv-frame-native' : ''}`}
              style={{
                left: `${frame.x * 100}%`,
                width: `${frame.width * 100}%`,
                top: frame.depth * ROW_PX,
              }}
              tabIndex={frame.key === active.key ? 0 : -1}
              title={label(frame)}
              aria-label={label(frame)}
              data-testid="flame-frame"
              data-name={nameOf(frame.node)}
              onClick={() => zoomTo(frame.path)}
              onFocus={() => setActiveKey(frame.key)}
              onMouseEnter={() => setHoverKey(frame.key)}
            >
              <span className="pv-frame-label">{nameOf(frame.node)}</span>
            </button>
          );
        })}
      </div>
      <FrameDetail
        frame={described}
        fn={byId.get(described.node.functionId)}
        name={nameOf(described.node)}
        totalMs={root.totalMs}
        unit={unit}
        onSelectFunction={onSelectFunction}
      />
      <FlameLegend native={functions.some((f) => f.native)} />
    </div>
  );
}

interface BreadcrumbProps {
  root: CallTreeNode;
  zoomPath: readonly number[];
  nameOf: (node: CallTreeNode) => string;
  onZoom: (path: number[]) => void;
}

function Breadcrumb({ root, zoomPath, nameOf, onZoom }: BreadcrumbProps) {
  const steps = [[], ...zoomPath.map((_, i) => zoomPath.slice(0, i + 1))];
  return (
    <nav aria-label="Zoom path" className="pv-breadcrumb">
      <ol>
        {steps.map((path, i) => {
          const node = nodeAt(root, path);
          if (!node) return null;
          const last = i === steps.length - 1;
          return (
            <li key={pathKey(path)}>
              {last ? (
                <span aria-current="location">{nameOf(node)}</span>
              ) : (
                <button type="button" className="pv-link" onClick={() => onZoom(path)}>
                  {nameOf(node)}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

interface FrameDetailProps {
  frame: FlameFrame;
  fn: FlameFunction | undefined;
  name: string;
  totalMs: number;
  unit: FlameUnit;
  onSelectFunction?: (fn: FunctionRef) => void;
}

function FrameDetail({ frame, fn, name, totalMs, unit, onSelectFunction }: FrameDetailProps) {
  const text = UNIT_TEXT[unit];
  const where = fn ? location(fn) : '';
  const { node } = frame;
  return (
    <div className="pv-flame-detail" aria-live="polite">
      <span className="pv-code pv-strong">{name}</span>
      {where && <span className="pv-code pv-muted">{where}</span>}
      {fn && <span>{ORIGIN_LABELS[fn.origin]}</span>}
      <span>
        {text.format(node.totalMs)} ({formatPercent(node.totalMs / totalMs)} {text.of})
      </span>
      {node.functionId !== ALL_FUNCTION_ID && <span>self {text.format(node.selfMs)}</span>}
      {fn?.ncalls !== undefined && (
        <span>
          {formatCount(fn.ncalls)} call{fn.ncalls === 1 ? '' : 's'} in the whole run
        </span>
      )}
      {fn && fn.origin === 'user' && where && onSelectFunction && (
        <ShowInEditor fn={fn} onSelectFunction={onSelectFunction} />
      )}
    </div>
  );
}

function FlameLegend({ native }: { native: boolean }) {
  return (
    <ul className="pv-legend" aria-label="Frame colours">
      {Object.entries(ORIGIN_LABELS).map(([origin, text]) => (
        <li key={origin}>
          <span className={`pv-swatch pv-origin-${origin}`} aria-hidden="true" />
          {text}
        </li>
      ))}
      {native && (
        <li>
          <span className="pv-swatch pv-frame-native" aria-hidden="true" />
          [native] C or C++ code (an extension module or the interpreter)
        </li>
      )}
    </ul>
  );
}
