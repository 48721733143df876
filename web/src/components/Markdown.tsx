import { useMemo, type MouseEvent } from 'react';
import { useLocation } from 'wouter';
import { renderMarkdown } from '../lib/markdown';

/** Sanitised course Markdown; links inside the app navigate without reloading the page. */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  const [, navigate] = useLocation();
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    const anchor = (event.target as HTMLElement).closest('a');
    const href = anchor?.getAttribute('href');
    if (!anchor || !href || anchor.target === '_blank' || !href.startsWith('/') || href.startsWith('/api/'))
      return;
    event.preventDefault();
    navigate(href);
  };
  return (
    // Only clicks on links are handled here; the links themselves are keyboard-reachable.
    <div
      className={`prose ${className ?? ''}`}
      onClick={onClick}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
