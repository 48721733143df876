/**
 * The editor's look: sizes and focus ring for both themes, a light theme on the app's colours
 * with CodeMirror's default highlighting made AA-contrast, and One Dark under the app's colours.
 */
import { defaultHighlightStyle, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { tags } from '@lezer/highlight';
import { EditorView } from '@codemirror/view';
import type { Theme } from '../theme';

export const baseTheme = EditorView.theme({
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

export const themeExtension = (theme: Theme): Extension => (theme === 'dark' ? darkTheme : lightTheme);
