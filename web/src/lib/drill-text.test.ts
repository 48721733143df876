import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { drillBlocks, DrillText } from './drill-text';

const html = (source: string) => renderToStaticMarkup(createElement(DrillText, { source }));

describe('drillBlocks', () => {
  it('splits paragraphs at blank lines and keeps fenced code verbatim', () => {
    const source =
      'What does this print?\nIt loops.\n\n```python\nfor i in range(3):\n    print(i)\n```\nAfter.';
    expect(drillBlocks(source)).toEqual([
      { type: 'paragraph', text: 'What does this print? It loops.' },
      { type: 'code', lang: 'python', code: 'for i in range(3):\n    print(i)' },
      { type: 'paragraph', text: 'After.' },
    ]);
  });

  it('runs an unclosed fence to the end', () => {
    expect(drillBlocks('```\nx = 1')).toEqual([{ type: 'code', lang: '', code: 'x = 1' }]);
  });
});

describe('DrillText', () => {
  it('renders inline code, strong and emphasis as elements', () => {
    expect(html('Use `dict.get` for **hot** loops, *not* _always_.')).toBe(
      '<div class="prose "><p>Use <code>dict.get</code> for <strong>hot</strong> loops, <em>not</em> <em>always</em>.</p></div>',
    );
  });

  it('leaves markup inside code and snake_case names alone', () => {
    expect(html('`a*b*c` and my_var_name')).toContain('<code>a*b*c</code> and my_var_name');
  });

  it('renders HTML in the source as text', () => {
    const out = html('<script>alert(1)</script> and ```\n<img src=x onerror=alert(1)>\n```');
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;script&gt;');
  });
});
