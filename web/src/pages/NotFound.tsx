import { useEffect } from 'react';
import { Link } from 'wouter';

export function NotFound({ what }: { what?: string }) {
  useEffect(() => {
    document.title = 'Not found · perflab';
  }, []);
  return (
    <section className="page page-narrow not-found" data-testid="not-found">
      <h1>Not found</h1>
      <p>{what ?? 'There is no page at this address.'}</p>
      <p>
        <Link href="/">Back to the course</Link> or open the <Link href="/workbench">workbench</Link>.
      </p>
    </section>
  );
}
