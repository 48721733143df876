/**
 * Course Markdown to safe HTML: markdown-it without raw HTML, code highlighted, then
 * DOMPurify as a second line of defence. Links between lesson files ("14-processes.md")
 * become app routes ("/lessons/processes"); external links open in a new tab.
 */
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { escapeHtml, highlight } from './highlight';

const md = new MarkdownIt({
  html: false,
  linkify: true,
  typographer: false,
  highlight: (code, info) => {
    const lang = info.trim().split(/\s+/)[0] ?? '';
    const label =
      info.trim() && lang !== 'python' ? `<span class="code-label">${escapeHtml(info.trim())}</span>` : '';
    // Focusable: a wide block scrolls sideways, and keyboard users must be able to scroll it.
    return `<pre class="code" tabindex="0">${label}<code class="hljs">${highlight(code, lang)}</code></pre>`;
  },
});

// Indented code (four spaces, as in a list item's command) gets the same scrollable, focusable
// block as a fence: markdown-it's plain <pre> would widen the page on a phone instead.
md.renderer.rules.code_block = (tokens, idx) =>
  `<pre class="code" tabindex="0"><code class="hljs">${escapeHtml(tokens[idx]?.content ?? '')}</code></pre>\n`;

const LESSON_LINK = /^(?:\.\.\/[^/]+\/|\.\/)?\d+-([a-z0-9-]+)\.md(#[\w-]*)?$/;

export function appHref(href: string): string {
  const lesson = LESSON_LINK.exec(href);
  if (lesson) return `/lessons/${lesson[1]}${lesson[2] ?? ''}`;
  return href;
}

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token) {
    const href = appHref(String(token.attrGet('href') ?? ''));
    token.attrSet('href', href);
    if (/^https?:\/\//.test(href)) {
      token.attrSet('target', '_blank');
      token.attrSet('rel', 'noopener noreferrer');
    }
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** markdown-it's HTML before DOMPurify: already without raw HTML or javascript: links. */
export function markdownHtml(source: string): string {
  return md.render(source);
}

const cache = new Map<string, string>();

export function renderMarkdown(source: string): string {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const html = DOMPurify.sanitize(markdownHtml(source), { ADD_ATTR: ['target'] });
  if (cache.size > 200) cache.clear();
  cache.set(source, html);
  return html;
}

/** A body's own "# Title" repeats the page header; it is dropped when it matches. */
export function withoutTitle(markdown: string, title: string): string {
  const match = /^\s*#\s+(.+)\n/.exec(markdown);
  return match && match[1]?.trim() === title.trim() ? markdown.slice(match[0].length) : markdown;
}
