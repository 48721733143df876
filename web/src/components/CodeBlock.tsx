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
    <pre className="code" aria-label={label}>
      <code className="hljs" dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}
