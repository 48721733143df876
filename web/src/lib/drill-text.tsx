/**
 * A drill's question and short answer as React elements: paragraphs, fenced code blocks,
 * `inline code`, **strong** and *emphasis* / _emphasis_ — the only Markdown the course's
 * questions and short answers use (the full answers use more and go through the Markdown
 * component, loaded when the learner opens one).
 *
 * Why not markdown-it here: the review page has a 120 KB (gzipped) JavaScript budget, and
 * the entry chunk plus markdown-it alone is about that much. Elements, never HTML strings, so
 * nothing here needs sanitising: any text, including "<script>", renders as text.
 */
import type { ReactNode } from 'react';

export type DrillBlock = { type: 'code'; lang: string; code: string } | { type: 'paragraph'; text: string };

const FENCE = /^\s*```\s*([\w+-]*)\s*$/;

/** Splits the source into fenced code blocks and paragraphs (separated by blank lines). */
export function drillBlocks(source: string): DrillBlock[] {
  const blocks: DrillBlock[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    const text = paragraph.join(' ').trim();
    if (text) blocks.push({ type: 'paragraph', text });
    paragraph = [];
  };
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fence = FENCE.exec(line);
    if (fence) {
      endParagraph();
      const code: string[] = [];
      // An unclosed fence runs to the end, as CommonMark reads it.
      for (i += 1; i < lines.length && !/^\s*```\s*$/.test(lines[i] as string); i++)
        code.push(lines[i] as string);
      blocks.push({ type: 'code', lang: fence[1] ?? '', code: code.join('\n') });
    } else if (line.trim() === '') {
      endParagraph();
    } else {
      paragraph.push(line.trim());
    }
  }
  endParagraph();
  return blocks;
}

// `code` first (nothing inside it is markup), then **strong**, then *em* or _em_ (whole words).
const INLINE =
  /`([^`]+)`|\*\*(.+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*|(?<![\w])_([^_\s](?:[^_]*[^_\s])?)_(?![\w])/g;

/** One paragraph's inline markup as elements. */
export function inlineNodes(text: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const at = match.index;
    if (at > last) nodes.push(text.slice(last, at));
    const [, code, strong, em, underscoreEm] = match;
    const key = nodes.length;
    if (code !== undefined) nodes.push(<code key={key}>{code}</code>);
    else if (strong !== undefined) nodes.push(<strong key={key}>{inlineNodes(strong)}</strong>);
    else nodes.push(<em key={key}>{inlineNodes(em ?? underscoreEm ?? '')}</em>);
    last = at + match[0].length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/** A question or short answer, as a `.prose` block like the lesson text. */
export function DrillText({ source, className }: { source: string; className?: string }) {
  return (
    <div className={`prose ${className ?? ''}`}>
      {drillBlocks(source).map((block, index) =>
        block.type === 'code' ? (
          // Focusable: a wide block scrolls sideways, and keyboard users must be able to scroll it.
          <pre key={index} className="code" tabIndex={0}>
            <code>{block.code}</code>
          </pre>
        ) : (
          <p key={index}>{inlineNodes(block.text)}</p>
        ),
      )}
    </div>
  );
}

/** A question's first paragraph, for lists (its code, if any, shows when the question is opened). */
export function questionHeadline(source: string): ReactNode[] {
  const first = drillBlocks(source).find((block) => block.type === 'paragraph');
  return first ? inlineNodes(first.text) : [source.slice(0, 80)];
}
