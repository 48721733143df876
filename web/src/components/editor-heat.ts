/**
 * Line heat from a profile in the editor: a gutter with the milliseconds of each timed line
 * and a tint on the line by its strength against the hottest line.
 */
import { RangeSet, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, gutter, GutterMarker, type DecorationSet } from '@codemirror/view';

export interface LineHeat {
  line: number;
  ms: number;
  hits: number;
  /** Share of all timed lines, 0..1. */
  share: number;
  /** Colour strength relative to the hottest line, 0..1. */
  intensity: number;
}

class HeatMarker extends GutterMarker {
  constructor(readonly heat: LineHeat) {
    super();
  }
  override eq(other: GutterMarker): boolean {
    return (
      other instanceof HeatMarker && other.heat.ms === this.heat.ms && other.heat.line === this.heat.line
    );
  }
  override toDOM(): Node {
    const el = document.createElement('span');
    el.className = 'cm-heat-marker';
    el.textContent = formatLineMs(this.heat.ms);
    el.title = `${formatLineMs(this.heat.ms)} on this line (${Math.round(this.heat.share * 100)}% of the timed lines), ${this.heat.hits.toLocaleString()} hits`;
    el.style.setProperty('--heat', String(Math.round(this.heat.intensity * 100)));
    return el;
  }
}

class SpacerMarker extends GutterMarker {
  override toDOM(): Node {
    return document.createTextNode('9999 ms');
  }
}

/** A line's time for the narrow gutter: at most four digits and a unit. */
export function formatLineMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  if (ms >= 0.1) return `${ms.toFixed(1)} ms`;
  return '<0.1 ms';
}

export interface HeatSets {
  markers: RangeSet<GutterMarker>;
  lines: DecorationSet;
}

/** Gutter markers for every timed line in the document, and a tint on lines at 2% of the hottest or more. */
export function heatSets(state: EditorState, heat: readonly LineHeat[]): HeatSets {
  const sorted = [...heat]
    .filter((h) => h.line >= 1 && h.line <= state.doc.lines)
    .sort((a, b) => a.line - b.line);
  const markers = sorted.map((h) => new HeatMarker(h).range(state.doc.line(h.line).from));
  const lines = sorted
    .filter((h) => h.intensity >= 0.02)
    .map((h) =>
      Decoration.line({
        attributes: {
          class: 'cm-heat-line',
          style: `--heat: ${Math.round(h.intensity * 100)}`,
        },
      }).range(state.doc.line(h.line).from),
    );
  return { markers: RangeSet.of(markers), lines: Decoration.set(lines) };
}

/** Heat follows edits (mapped through changes), so it stays on the line it was measured on. */
export function heatExtension(heat: readonly LineHeat[] | undefined): Extension {
  if (!heat || heat.length === 0) return [];
  const field = StateField.define<HeatSets>({
    create: (state) => heatSets(state, heat),
    update: (sets, tr) =>
      tr.docChanged ? { markers: sets.markers.map(tr.changes), lines: sets.lines.map(tr.changes) } : sets,
    provide: (f) => EditorView.decorations.from(f, (sets) => sets.lines),
  });
  return [
    field,
    gutter({
      class: 'cm-heat-gutter',
      markers: (view) => view.state.field(field).markers,
      initialSpacer: () => new SpacerMarker(),
    }),
  ];
}
