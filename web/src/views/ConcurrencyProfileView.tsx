/**
 * The result of a profile job that used py-spy, VizTracer or memray (ProfileResultView's
 * `profiler`): the view of that profiler, or why it has nothing to show. Loaded lazily by
 * ProfileView, so a cProfile result never loads these views.
 */
import type { ProfileResultView } from '../../../src/core/api.js';
import { MemrayView } from './MemrayView';
import type { FunctionRef } from './profile-types';
import { SampledProfileView } from './SampledProfileView';
import { TimelineView } from './TimelineView';
import './views.css';

export interface ConcurrencyProfileViewProps {
  result: ProfileResultView;
  artifactsBase?: string;
  onSelectFunction?: (fn: FunctionRef) => void;
}

const WHAT: Record<string, string> = {
  sample: 'sampled profile',
  timeline: 'timeline',
  memray: 'memory profile',
};

export function ConcurrencyProfileView({
  result,
  artifactsBase,
  onSelectFunction,
}: ConcurrencyProfileViewProps) {
  const profiler = result.profiler ?? 'cprofile';
  const artifacts = result.artifacts ?? [];
  const traceUrl =
    artifactsBase && artifacts.includes('trace.json') ? `${artifactsBase}/trace.json` : undefined;
  if (profiler === 'sample' && result.sampled)
    return (
      <SampledProfileView
        sampled={result.sampled}
        timeline={result.timeline ?? null}
        artifactsBase={artifactsBase}
        artifacts={artifacts}
        onSelectFunction={onSelectFunction}
      />
    );
  if (profiler === 'timeline' && result.timeline)
    return <TimelineView timeline={result.timeline} traceUrl={traceUrl} />;
  if (profiler === 'memray' && result.memray)
    return (
      <MemrayView
        memray={result.memray}
        artifactsBase={artifactsBase}
        artifacts={artifacts}
        onSelectFunction={onSelectFunction}
      />
    );
  return (
    <p className="pv-headline" data-testid="profile-missing">
      No {WHAT[profiler] ?? 'profile'} was recorded: {result.run.message}
    </p>
  );
}

export default ConcurrencyProfileView;
