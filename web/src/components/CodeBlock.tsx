import { useMemo } from 'react';
import { highlight } from '../lib/highlight';

/** Read-only highlighted code. */
export function CodeBlock({
  code,
  language = 'python',
  label,
}: {
  code: string;
  language?: string;
  label?: string;
}) {
  const html = useMemo(() => highlight(code, language), [code, language]);
  return (
    // Focusable so that keyboard users can scroll a wide block; a region so it may be named.
    <pre className="code" tabIndex={0} role={label ? 'region' : undefined} aria-label={label}>
      <code className="hljs" dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}
