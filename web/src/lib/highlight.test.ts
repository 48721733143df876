import { describe, expect, it } from 'vitest';
import { escapeHtml, highlight } from './highlight';

describe('highlight', () => {
  it('marks up Python keywords and strings, and by its aliases', () => {
    const html = highlight('def f():\n    return "x"', 'python');
    expect(html).toContain('<span class="hljs-keyword">def</span>');
    expect(html).toContain('<span class="hljs-string">&quot;x&quot;</span>');
    expect(highlight('def f(): pass', 'py title="x.py"')).toContain('hljs-keyword');
  });

  it('escapes code in a language it does not know', () => {
    expect(highlight('<script>x && y</script>', 'cobol')).toBe('&lt;script&gt;x &amp;&amp; y&lt;/script&gt;');
    expect(highlight('a < b', '')).toBe('a &lt; b');
  });

  it('escapes HTML inside highlighted code', () => {
    expect(highlight('s = "<img onerror=1>"', 'python')).not.toContain('<img');
  });
});

describe('escapeHtml', () => {
  it('escapes the characters that end text or an attribute', () => {
    expect(escapeHtml(`<a href="x">&</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });
});
