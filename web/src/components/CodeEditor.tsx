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
import { bracketMatching, foldGutter, foldKeymap, indentOnInput, indentUnit } from '@codemirror/language';
import { Compartment, EditorSelection, EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { forwardRef, memo, useEffect, useImperativeHandle, useRef, type ReactNode } from 'react';
import type { Theme } from '../theme';
import { heatExtension, type LineHeat } from './editor-heat';
import { baseTheme, themeExtension } from './editor-theme';
import { FileTabs, type EditorFile } from './FileTabs';

export type { LineHeat } from './editor-heat';
export type { EditorFile } from './FileTabs';

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
        <FileTabs
          files={files}
          activePath={activePath}
          onActivePathChange={onActivePathChange}
          end={tabBarEnd}
        />
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
