/** A plain terminal rendering of lesson Markdown: headings, lists, code, runnable blocks numbered. */
import MarkdownIt from 'markdown-it';
import { colour } from '../format.js';

const markdown = new MarkdownIt();

function inline(text: string): string {
  return text
    .replace(/`([^`]+)`/g, (_, code: string) => colour.cyan(code))
    .replace(/\*\*([^*]+)\*\*/g, (_, bold: string) => colour.bold(bold))
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, label: string, url: string) => `${label} (${url})`);
}

/** Renders the body; runnable blocks are labelled [run N] / [claim N] in order. */
export function renderLessonMarkdown(body: string): string {
  const out: string[] = [];
  let listDepth = 0;
  let runnable = 0;
  for (const token of markdown.parse(body, {})) {
    switch (token.type) {
      case 'heading_open':
        out.push('');
        break;
      case 'inline': {
        const text = inline(token.content);
        const last = out.at(-1);
        if (last === '#heading') out[out.length - 1] = colour.bold(colour.underline(text));
        else out.push(listDepth > 0 ? `${'  '.repeat(listDepth - 1)}• ${text}` : text);
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        listDepth++;
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        listDepth--;
        break;
      case 'paragraph_close':
        if (listDepth === 0) out.push('');
        break;
      case 'fence': {
        const info = token.info.trim();
        let label = info || 'code';
        if (/^python\s+(run|compare)\b/.test(info)) label = `[${++runnable}] ${info}`;
        out.push(colour.dim(`┌─ ${label}`));
        for (const line of token.content.replace(/\n$/, '').split('\n'))
          out.push(`${colour.dim('│')} ${line}`);
        out.push(colour.dim('└─'), '');
        break;
      }
      default:
        break;
    }
    if (token.type === 'heading_open') out.push('#heading');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
