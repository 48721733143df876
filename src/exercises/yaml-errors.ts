import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

type YamlDocument = ReturnType<typeof parseDocument>;

/** The line of the deepest node along `path` that exists (1 when none does). */
export function lineOf(doc: YamlDocument, counter: LineCounter, path: (string | number)[]): number {
  for (let length = path.length; length >= 0; length--) {
    const node = doc.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

/**
 * Parses YAML and validates it, returning the value or problems as `FILE:LINE: message`.
 * `lineOffset` shifts lines for YAML embedded in another file (front matter).
 */
export function parseYaml<T extends z.ZodType>(
  text: string,
  schema: T,
  file: string,
  lineOffset = 0,
): { value: z.infer<T>; problems: [] } | { value: null; problems: string[] } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      value: null,
      problems: doc.errors.map(
        (e) =>
          `${file}:${counter.linePos(e.pos[0]).line + lineOffset}: YAML syntax: ${e.message.split('\n')[0]}`,
      ),
    };
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return { value: parsed.data, problems: [] };
  return {
    value: null,
    problems: parsed.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const where = path.length > 0 ? `${path.join('.')}: ` : '';
      return `${file}:${lineOf(doc, counter, path) + lineOffset}: ${where}${issue.message}`;
    }),
  };
}
