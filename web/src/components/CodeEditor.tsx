/**
 * CodeMirror 6 with file tabs: one EditorState per file (each keeps its own undo history),
 * Python highlighting, read-only files, the app's theme, and line-level heat from a profile
 * in a gutter (milliseconds per line, colour by share of the timed lines).
 *
 * Imported only by the exercise workspace and the workbench, so the lesson route never loads it.
 */
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import {
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  foldKeymap,
  indentOnInput,
  HighlightStyle,
  indentUnit,
  syntaxHighlighting,
} from '@codemirror/language';
import {
  Compartment,
  EditorSelection,
  EditorState,
  RangeSet,
  StateField,
  type Extension,
} from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { tags } from '@lezer/highlight';
import {
  Decoration,
  drawSelection,
  EditorView,
  gutter,
  GutterMarker,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view';
import { forwardRef, memo, useEffect, useImperativeHandle, useRef, type ReactNode } from 'react';
import type { Theme } from '../theme';

export interface EditorFile {
  path: string;
  /** null: binary, shown as a download link instead. */
  content: string | null;
  editable: boolean;
  kind: 'code' | 'data';
  sizeBytes?: number;
  /** Where a data file can be downloaded. */
  downloadUrl?: string;
}

export interface LineHeat {
  line: number;
  ms: number;
  hits: number;
  /** Share of all timed lines, 0..1. */
  share: number;
  /** Colour strength relative to the hottest line, 0..1. */
  intensity: number;
}

export interface CodeEditorHandle {
  /** Opens a file and puts the cursor on a line. */
  goTo(path: string, line: number): void;
  /** Scrolls the shown file to a line, without moving the cursor or the focus. */
  reveal(line: number): void;
  focus(): void;
}

interface CodeEditorProps {
  files: readonly EditorFile[];
  activePath: string;
  onActivePathChange: (path: string) => void;
  onChange?: (path: string, content: string) => void;
  theme: Theme;
  /** Line heat per file path. */
  heat?: Readonly<Record<string, readonly LineHeat[]>>;
  /** Changing it discards the editor states (a reset or a reload of the files). */
  version?: number;
  label?: string;
  /** Shown at the end of the tab bar (save state, reset). */
  tabBarEnd?: ReactNode;
}

// ---------------------------------------------------------------- themes

const baseTheme = EditorView.theme({
  '&': { fontSize: '0.9rem', height: '100%' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { padding: '0.5rem 0' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-2px' },
  '.cm-heat-gutter .cm-gutterElement': {
    padding: '0 0.4rem',
    fontSize: '0.75rem',
    textAlign: 'right',
    fontVariantNumeric: 'tabular-nums',
  },
});

/**
 * CodeMirror's default colours with the two that fall below 4.5:1 on white (WCAG AA) darkened:
 * special strings, regexps and escapes (#e40, 3.8:1) and invalid code (#f00, 4.0:1).
 */
const OWN_LIGHT_TAGS = [tags.special(tags.string), tags.regexp, tags.escape, tags.invalid];
const lightHighlightStyle = HighlightStyle.define([
  ...defaultHighlightStyle.specs.filter((spec) => {
    const specTags = Array.isArray(spec.tag) ? spec.tag : [spec.tag];
    return !specTags.some((tag) => OWN_LIGHT_TAGS.includes(tag));
  }),
  { tag: [tags.special(tags.string), tags.regexp, tags.escape], color: '#a83800' },
  { tag: tags.invalid, color: '#c00000' },
]);

const lightTheme = [
  EditorView.theme(
    {
      '&': { backgroundColor: 'var(--surface)', color: 'var(--fg)' },
      '.cm-gutters': {
        backgroundColor: 'var(--bg)',
        color: 'var(--muted)',
        borderRight: '1px solid var(--border)',
      },
      '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 7%, transparent)' },
      '.cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 12%, transparent)' },
      '.cm-cursor': { borderLeftColor: 'var(--fg)' },
      '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
        backgroundColor: 'color-mix(in srgb, var(--accent) 25%, transparent) !important',
      },
    },
    { dark: false },
  ),
  syntaxHighlighting(lightHighlightStyle),
];

// Ours first: CodeMirror gives earlier extensions precedence, so these override One Dark.
const darkTheme = [
  EditorView.theme(
    {
      '&': { backgroundColor: 'var(--surface)' },
      '.cm-gutters': {
        backgroundColor: 'var(--bg)',
        // One Dark's own gutter grey is 3.9:1 here; the app's muted colour meets 4.5:1.
        color: 'var(--muted)',
        borderRight: '1px solid var(--border)',
      },
    },
    { dark: true },
  ),
  // One Dark's comment grey is 4.0:1 on a hot line's tint; this one keeps 4.5:1 (WCAG AA).
  syntaxHighlighting(HighlightStyle.define([{ tag: tags.comment, color: '#8c95a6', fontStyle: 'italic' }])),
  oneDark,
];

const themeExtension = (theme: Theme): Extension => (theme === 'dark' ? darkTheme : lightTheme);

// ---------------------------------------------------------------- line heat

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

function formatLineMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  if (ms >= 0.1) return `${ms.toFixed(1)} ms`;
  return '<0.1 ms';
}

interface HeatSets {
  markers: RangeSet<GutterMarker>;
  lines: DecorationSet;
}

function heatSets(state: EditorState, heat: readonly LineHeat[]): HeatSets {
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
function heatExtension(heat: readonly LineHeat[] | undefined): Extension {
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

// ---------------------------------------------------------------- the component

function languageFor(path: string): Extension {
  return path.endsWith('.py') ? python() : [];
}

/**
 * Memoised: the pages around it re-render on every streamed output chunk, and the editor's
 * props (files, heat, callbacks) only change when the learner's work or a profile does.
 */
export const CodeEditor = memo(
  forwardRef<CodeEditorHandle, CodeEditorProps>(function CodeEditor(
    {
      files,
      activePath,
      onActivePathChange,
      onChange,
      theme,
      heat,
      version = 0,
      label = 'Code editor',
      tabBarEnd,
    },
    ref,
  ) {
    const host = useRef<HTMLDivElement>(null);
    const view = useRef<EditorView | null>(null);
    const states = useRef(new Map<string, EditorState>());
    const shownPath = useRef<string | null>(null);
    const compartments = useRef({ theme: new Compartment(), heat: new Compartment() });
    const latest = useRef({ onChange, theme, heat, files });
    latest.current = { onChange, theme, heat, files };
    const pendingLine = useRef<number | null>(null);

    const createState = (file: EditorFile): EditorState => {
      const { theme: themeCompartment, heat: heatCompartment } = compartments.current;
      const path = file.path;
      return EditorState.create({
        doc: file.content ?? '',
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          highlightSpecialChars(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          highlightActiveLine(),
          indentUnit.of('    '),
          EditorState.tabSize.of(4),
          keymap.of([
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...historyKeymap,
            ...foldKeymap,
            indentWithTab,
          ]),
          languageFor(path),
          EditorState.readOnly.of(!file.editable),
          EditorView.contentAttributes.of({
            'aria-label': `${label}: ${path}${file.editable ? '' : ' (read-only)'}`,
            'data-path': path,
            // A read-only file is not editable, hence not focusable, yet must scroll by keyboard.
            tabindex: '0',
          }),
          baseTheme,
          themeCompartment.of(themeExtension(latest.current.theme)),
          heatCompartment.of(heatExtension(latest.current.heat?.[path])),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && file.editable)
              latest.current.onChange?.(path, update.state.doc.toString());
          }),
        ],
      });
    };

    const stateFor = (path: string): EditorState | null => {
      const existing = states.current.get(path);
      if (existing) return existing;
      const file = latest.current.files.find((f) => f.path === path);
      if (!file || file.content === null) return null;
      const state = createState(file);
      states.current.set(path, state);
      return state;
    };

    /** Brings a stored state up to date with the theme and heat it missed while hidden. */
    const refresh = (v: EditorView, path: string) => {
      const { theme: themeCompartment, heat: heatCompartment } = compartments.current;
      v.dispatch({
        effects: [
          themeCompartment.reconfigure(themeExtension(latest.current.theme)),
          heatCompartment.reconfigure(heatExtension(latest.current.heat?.[path])),
        ],
      });
    };

    const scrollToLine = (v: EditorView, line: number) => {
      const target = v.state.doc.line(Math.min(Math.max(1, line), v.state.doc.lines));
      v.dispatch({
        selection: EditorSelection.cursor(target.from),
        effects: EditorView.scrollIntoView(target.from, { y: 'center' }),
      });
      v.focus();
    };

    // Create the view once; destroy on unmount.
    useEffect(() => {
      if (!host.current) return;
      const v = new EditorView({ parent: host.current });
      view.current = v;
      return () => {
        v.destroy();
        view.current = null;
        shownPath.current = null;
        states.current.clear();
      };
    }, []);

    // A new version of the files: forget every state.
    useEffect(() => {
      states.current.clear();
      shownPath.current = null;
    }, [version]);

    // Show the active file.
    useEffect(() => {
      const v = view.current;
      if (!v) return;
      if (shownPath.current === activePath) return;
      if (shownPath.current !== null) states.current.set(shownPath.current, v.state);
      const state = stateFor(activePath);
      if (!state) return;
      v.setState(state);
      shownPath.current = activePath;
      refresh(v, activePath);
      if (pendingLine.current !== null) {
        scrollToLine(v, pendingLine.current);
        pendingLine.current = null;
      }
      // stateFor/refresh read refs only.
    });

    // Theme and heat changes apply to the shown file (hidden files catch up when shown).
    useEffect(() => {
      const v = view.current;
      if (v && shownPath.current) refresh(v, shownPath.current);
    }, [theme, heat]);

    useImperativeHandle(
      ref,
      () => ({
        goTo(path, line) {
          const v = view.current;
          if (!v) return;
          if (path === shownPath.current) scrollToLine(v, line);
          else {
            pendingLine.current = line;
            onActivePathChange(path);
          }
        },
        reveal(line) {
          const v = view.current;
          if (!v) return;
          const target = v.state.doc.line(Math.min(Math.max(1, line), v.state.doc.lines));
          v.dispatch({ effects: EditorView.scrollIntoView(target.from, { y: 'center' }) });
        },
        focus() {
          view.current?.focus();
        },
      }),
      [onActivePathChange],
    );

    const active = files.find((f) => f.path === activePath);
    const binary = active !== undefined && active.content === null;
    return (
      <div className="editor" data-testid="editor" data-path={activePath}>
        <div className="file-tabs-bar">
          <div className="file-tabs" role="tablist" aria-label="Files">
            {files.map((file) => {
              const selected = file.path === activePath;
              return (
                <button
                  key={file.path}
                  type="button"
                  role="tab"
                  id={`tab-${file.path}`}
                  aria-selected={selected}
                  aria-controls="editor-panel"
                  tabIndex={selected ? 0 : -1}
                  className={`file-tab${selected ? ' is-active' : ''}`}
                  data-testid="file-tab"
                  data-path={file.path}
                  onClick={() => onActivePathChange(file.path)}
                  onKeyDown={(event) => {
                    const index = files.indexOf(file);
                    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
                    if (step === 0) return;
                    event.preventDefault();
                    const next = files[(index + step + files.length) % files.length];
                    if (next) {
                      onActivePathChange(next.path);
                      document.getElementById(`tab-${next.path}`)?.focus();
                    }
                  }}
                >
                  {file.path}
                  {!file.editable && (
                    <span className="file-tab-flag">{file.kind === 'data' ? 'data' : 'read-only'}</span>
                  )}
                </button>
              );
            })}
          </div>
          {tabBarEnd && <div className="file-tabs-end">{tabBarEnd}</div>}
        </div>
        <div id="editor-panel" role="tabpanel" aria-labelledby={`tab-${activePath}`} className="editor-panel">
          {active && !active.editable && active.content !== null && (
            <p className="editor-note">
              {active.kind === 'data' ? 'Data file' : 'Read-only'}: this file is part of the exercise and
              cannot be edited.
              {active.downloadUrl && (
                <>
                  {' '}
                  <a href={active.downloadUrl} download>
                    Download
                  </a>
                </>
              )}
            </p>
          )}
          {binary && (
            <div className="editor-binary">
              <p>
                <code>{active.path}</code> is a binary data file
                {active.sizeBytes !== undefined ? ` (${active.sizeBytes.toLocaleString()} bytes)` : ''}; it
                cannot be shown here.
              </p>
              {active.downloadUrl && (
                <a className="button" href={active.downloadUrl} download>
                  Download {active.path}
                </a>
              )}
            </div>
          )}
          <div ref={host} className="editor-host" hidden={binary} />
        </div>
      </div>
    );
  }),
);
