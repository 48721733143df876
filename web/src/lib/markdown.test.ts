/**
 * These tests run without a DOM, where DOMPurify cannot run: they check markdown-it's output
 * (markdownHtml), the first line of defence, which must hold by itself. DOMPurify, applied
 * on top by renderMarkdown in the browser, is the second.
 */
import { describe, expect, it } from 'vitest';
import { appHref, markdownHtml, withoutTitle } from './markdown';

describe('markdownHtml', () => {
  it('never lets a script element or an event handler attribute through', () => {
    const html = markdownHtml(
      [
        'Hello <script>alert(1)</script>',
        '',
        '<img src=x onerror="alert(2)">',
        '',
        '<div onclick="alert(3)">click</div>',
      ].join('\n'),
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    // The text is kept, escaped, so the learner still sees what the author wrote.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('renders indented code as the same scrollable, focusable block as a fence, escaped', () => {
    const html = markdownHtml('1. Run it:\n\n       perflab profile report.py --lines <x>\n');
    expect(html).toContain(
      '<pre class="code" tabindex="0"><code class="hljs">perflab profile report.py --lines &lt;x&gt;',
    );
  });

  it('drops javascript: links', () => {
    const html = markdownHtml('[click](javascript:alert(1))');
    expect(html).not.toMatch(/href="javascript:/i);
  });

  it('escapes HTML inside fenced code and labels non-Python blocks', () => {
    const html = markdownHtml('```bash\necho "<b>hi</b>"\n```');
    expect(html).toContain('<pre class="code" tabindex="0"><span class="code-label">bash</span>');
    expect(html).not.toContain('<b>hi</b>');
    expect(html).toContain('&lt;b&gt;');
  });

  it('turns links to lesson files into app routes and opens external links in a new tab', () => {
    const html = markdownHtml(
      '[next](../03-io/14-processes.md#pools) and [docs](https://docs.python.org/3/)',
    );
    expect(html).toContain('<a href="/lessons/processes#pools">next</a>');
    expect(html).toContain(
      '<a href="https://docs.python.org/3/" target="_blank" rel="noopener noreferrer">docs</a>',
    );
  });
});

describe('appHref', () => {
  it('maps lesson file names to /lessons/<id> and leaves anything else alone', () => {
    expect(appHref('14-processes.md')).toBe('/lessons/processes');
    expect(appHref('./02-timeit.md#loops')).toBe('/lessons/timeit#loops');
    expect(appHref('notes.md')).toBe('notes.md');
    expect(appHref('https://example.org/01-a.md')).toBe('https://example.org/01-a.md');
  });
});

describe('withoutTitle', () => {
  it('drops a first heading that repeats the page title, and only then', () => {
    expect(withoutTitle('# Profiling\n\nBody', 'Profiling')).toBe('\nBody');
    expect(withoutTitle('# Something else\n\nBody', 'Profiling')).toBe('# Something else\n\nBody');
    expect(withoutTitle('Intro\n# Profiling\n', 'Profiling')).toBe('Intro\n# Profiling\n');
  });
});
