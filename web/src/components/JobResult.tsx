/**
 * A finished job's result with the right view. The profile, verification and timeit views
 * (and Chart.js behind them) are loaded only when a result needs them.
 */
import { lazy, Suspense } from 'react';
import { api } from '../api/client';
import type { JobResultView, JobView, ProfileResultView } from '../api/types';
import { RunSummary } from '../views/RunSummary';
import { ErrorBoundary } from './ErrorBoundary';
import { ErrorMessage, Loading } from './States';

const ProfileView = lazy(() => import('../views/ProfileView').then((m) => ({ default: m.ProfileView })));
const VerifyReportView = lazy(() =>
  import('../views/VerifyReportView').then((m) => ({ default: m.VerifyReportView })),
);
export const TimeitChart = lazy(() =>
  import('../views/TimeitChart').then((m) => ({ default: m.TimeitChart })),
);

export interface FunctionRef {
  file: string;
  line: number;
  name: string;
}

export function resultOf(job: JobView | null): JobResultView | null {
  const result = job?.result as JobResultView | null | undefined;
  return result && typeof result === 'object' && 'kind' in result ? result : null;
}

export function JobResult({
  job,
  onSelectFunction,
}: {
  job: JobView;
  onSelectFunction?: (fn: FunctionRef) => void;
}) {
  const result = resultOf(job);
  if (!result) {
    if (job.state === 'cancelled')
      return <p className="muted">The job was cancelled before it produced a result.</p>;
    return (
      <ErrorMessage
        title={job.state === 'interrupted' ? 'The job was interrupted' : 'No result'}
        error={new Error(job.message ?? 'The job ended without a result.')}
      />
    );
  }
  return (
    <div className="job-result" data-testid="job-result" data-kind={result.kind}>
      <ErrorBoundary key={job.id} what="The result">
        <Suspense fallback={<Loading label="Loading the result view…" />}>
          <ResultBody result={result} jobId={job.id} onSelectFunction={onSelectFunction} />
        </Suspense>
      </ErrorBoundary>
    </div>
  );
}

function ResultBody({
  result,
  jobId,
  onSelectFunction,
}: {
  result: JobResultView;
  jobId: string;
  onSelectFunction?: (fn: FunctionRef) => void;
}) {
  switch (result.kind) {
    case 'run':
      return <RunSummary run={result.run} />;
    case 'profile': {
      const { kind: _kind, ...profile } = result;
      return (
        <>
          <ProfileView
            result={profile as ProfileResultView}
            artifactsBase={
              profile.profile || (profile.artifacts?.length ?? 0) > 0 ? api.artifactsBase(jobId) : undefined
            }
            onSelectFunction={onSelectFunction}
          />
          {profile.run.status !== 'ok' && <RunSummary run={profile.run} />}
        </>
      );
    }
    case 'verify':
      return <VerifyReportView report={result.verify} />;
    case 'timeit':
      return (
        <>
          {result.report ? (
            <TimeitChart report={result.report} gcEnabled={result.gcEnabled} />
          ) : (
            <p className="muted">No timings were recorded.</p>
          )}
          {result.run.status !== 'ok' && <RunSummary run={result.run} />}
        </>
      );
    case 'block':
      return result.timeit ? (
        <TimeitChart report={result.timeit} gcEnabled={result.gcEnabled} />
      ) : result.run ? (
        <RunSummary run={result.run} />
      ) : (
        <p>{result.detail}</p>
      );
  }
}
