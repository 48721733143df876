/**
 * A lesson's profile example (`python profile=sample|timeline|memray`): the claims the lesson
 * makes about the run, each with its verdict once run, and the profiler's own view of the run
 * (sampled profile, timeline or memray flame graph), loaded only when there is a result.
 */
import { lazy, Suspense } from 'react';
import type { BlockResultView, LessonBlockView, ProfileResultView } from '../api/types';
import { ErrorBoundary } from '../components/ErrorBoundary';

const ConcurrencyProfileView = lazy(() => import('../views/ConcurrencyProfileView'));

type ProfileBlockView = Extract<LessonBlockView, { kind: 'profile' }>;

export const PROFILER_TITLES: Record<ProfileBlockView['profiler'], string> = {
  sample: 'a sampled profile of every thread and process (py-spy)',
  timeline: 'a timeline of threads and tasks (VizTracer)',
  memray: 'memory at the peak and leaks (memray)',
};

/** The claims as the lesson states them, before a run; with ✓/✗ and what the run showed after. */
export function ProfileClaims({
  block,
  result,
}: {
  block: ProfileBlockView;
  result: BlockResultView | null;
}) {
  const verdicts = result?.claims ?? null;
  return (
    <div className="profile-claims" data-testid="profile-claims">
      <h3 className="panel-label">The lesson claims</h3>
      <ul>
        {block.claims.map((text, i) => {
          const verdict = verdicts?.[i];
          return (
            <li key={text} data-testid="profile-claim" data-ok={verdict ? verdict.ok : undefined}>
              {verdict && (
                <>
                  <span aria-hidden="true">{verdict.ok ? '✓' : '✗'}</span>
                  <span className="visually-hidden">{verdict.ok ? 'holds:' : 'does not hold:'}</span>{' '}
                </>
              )}
              <code>{text}</code>
              {verdict && <span className="muted small"> — {verdict.detail}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The profiler's view of the block's run (the same views as a profile job's). */
export function ProfileBlockViews({ result }: { result: BlockResultView }) {
  if (!result.run || !result.profiler) return null;
  // A block result carries the same views as a profile job, without cProfile's parts or downloads.
  const asProfile: ProfileResultView = {
    profiler: result.profiler,
    run: result.run,
    profile: null,
    lines: null,
    memory: null,
    hot: [],
    callTree: [],
    sampled: result.sampled ?? null,
    timeline: result.timeline ?? null,
    memray: result.memray ?? null,
    artifacts: [],
  };
  return (
    <ErrorBoundary what="The profile view">
      <Suspense fallback={<p className="muted small">Loading the view…</p>}>
        <ConcurrencyProfileView result={asProfile} />
      </Suspense>
    </ErrorBoundary>
  );
}
