/**
 * Browse (/drills/browse/:module): every interview question of a module as a list whose
 * answers expand on click, each linked to the lesson that teaches it.
 */
import { useEffect } from 'react';
import { Link } from 'wouter';
import { drillsApi } from '../../api/drills';
import { useLoad } from '../../api/load';
import { Empty, Loaded } from '../../components/States';
import { NotFound } from '../NotFound';
import { DrillAnswerList } from './DrillAnswerList';
import { DrillCountsList } from './drill-parts';

export default function BrowsePage({ module }: { module: string }) {
  const [list, { reload }] = useLoad(`drills:${module}`, (signal) => drillsApi.list({ module }, signal));
  const title = list.status === 'ready' ? list.data.modules.find((m) => m.id === module)?.title : undefined;
  useEffect(() => {
    document.title = `${title ?? 'Browse'} · Interview prep · perflab`;
  }, [title]);
  return (
    <Loaded state={list} what="module" id={module} reload={reload} className="page page-narrow">
      {(data) => {
        const entry = data.modules.find((m) => m.id === module);
        if (!entry) return <NotFound what={`There is no module "${module}" with interview questions.`} />;
        return (
          <div className="page page-narrow drill-browse" data-testid="drill-browse">
            <nav className="breadcrumbs" aria-label="Breadcrumbs">
              <Link href="/drills">Interview prep</Link> <span aria-hidden="true">›</span> <span>Browse</span>
            </nav>
            <h1>{entry.title}: interview questions</h1>
            <DrillCountsList counts={entry.counts} label={`Your questions of ${entry.title}`} />
            <p className="button-row">
              <Link
                href={`/drills/review?module=${encodeURIComponent(module)}`}
                className="button button-primary"
              >
                Review this module
              </Link>
            </p>
            <p className="muted small">
              Open a question to see its answer. Browsing does not change when it comes back.
            </p>
            {data.drills.length === 0 ? (
              <Empty>This module has no interview questions yet.</Empty>
            ) : (
              <DrillAnswerList drills={data.drills} />
            )}
          </div>
        );
      }}
    </Loaded>
  );
}
