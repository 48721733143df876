import { lazy, Suspense, useMemo } from 'react';
import type { ArtifactName, ProfileResultView } from '../../../src/core/api.js';
import type { ProfiledFunction } from '../../../src/core/documents.js';
import { displayName, location } from '../../../src/core/names.js';
import { ArtifactDownloads } from './ArtifactDownloads';
import { FlameGraph } from './FlameGraph';
import { FunctionTable } from './FunctionTable';
import { LineTimings } from './LineTimings';
import { MemoryView } from './MemoryView';
import { Tabs } from './Tabs';
import { formatMs, formatPercent } from './format';
import type { FunctionRef } from './profile-types';
import './views.css';

// py-spy, VizTracer and memray results: their views load only when such a result is shown.
const ConcurrencyProfileView = lazy(() => import('./ConcurrencyProfileView'));

export type { FunctionRef } from './profile-types';

export interface ProfileViewProps {
  result: ProfileResultView;
  /** URL of the job's artifacts folder (no trailing slash); adds download links for the raw profiles. */
  artifactsBase?: string;
  /** Called when the learner asks to see one of their functions in the editor. */
  onSelectFunction?: (fn: FunctionRef) => void;
}

export function ProfileView({ result, artifactsBase, onSelectFunction }: ProfileViewProps) {
  const { profile, run } = result;
  if (result.profiler !== undefined && result.profiler !== 'cprofile') {
    return (
      <div className="pv-root pv-profile" data-profiler={result.profiler}>
        <Suspense fallback={<p className="pv-muted">Loading the view…</p>}>
          <ConcurrencyProfileView
            result={result}
            artifactsBase={artifactsBase}
            onSelectFunction={onSelectFunction}
          />
        </Suspense>
        {run.status !== 'ok' && (
          <p className="pv-note" role="note">
            The program did not finish normally ({run.message}); the profile covers what ran until then.
          </p>
        )}
      </div>
    );
  }
  if (!profile) {
    return (
      <div className="pv-root pv-profile">
        <p className="pv-headline">No profile was recorded: {run.message}</p>
      </div>
    );
  }
  return (
    <div className="pv-root pv-profile">
      <Headline result={result} functions={profile.functions} totalMs={profile.totalMs} />
      {run.status !== 'ok' && (
        <p className="pv-note" role="note">
          The program did not finish normally ({run.message}); the profile covers what ran until then.
        </p>
      )}
      <Tabs
        label="Profile views"
        tabs={[
          {
            id: 'functions',
            label: 'Functions',
            content: <FunctionTable functions={profile.functions} onSelectFunction={onSelectFunction} />,
          },
          {
            id: 'flame',
            label: 'Flame graph',
            content: (
              <FlameGraph
                callTree={result.callTree}
                functions={profile.functions}
                onSelectFunction={onSelectFunction}
              />
            ),
          },
          {
            id: 'lines',
            label: 'Line timings',
            content: result.lines ? (
              <LineTimings functions={result.lines.functions} onSelectFunction={onSelectFunction} />
            ) : (
              <p className="pv-muted">Line timings were not recorded for this run.</p>
            ),
          },
          {
            id: 'memory',
            label: 'Memory',
            content: result.memory ? (
              <MemoryView memory={result.memory} />
            ) : (
              <p className="pv-muted">Memory was not traced for this run.</p>
            ),
          },
        ]}
      />
      {artifactsBase !== undefined && (
        <ArtifactDownloads
          base={artifactsBase}
          names={CPROFILE_DOWNLOADS.filter((name) => result.artifacts?.includes(name) ?? true)}
        />
      )}
    </div>
  );
}

export default ProfileView;

interface HeadlineProps {
  result: ProfileResultView;
  functions: readonly ProfiledFunction[];
  totalMs: number;
}

/** The one sentence to read first: which of the learner's functions to look at. */
function Headline({ result, functions, totalMs }: HeadlineProps) {
  const hottest = useMemo(() => {
    const first = result.hot[0];
    const fn = first && functions.find((f) => f.id === first.functionId);
    return fn && first ? { fn, ownLinesMs: first.ownLinesMs } : null;
  }, [result.hot, functions]);
  if (!hottest) {
    return (
      <p className="pv-headline">
        None of your own functions took measurable time in the {formatMs(totalMs)} profiled.
      </p>
    );
  }
  const where = location(hottest.fn);
  return (
    <p className="pv-headline" data-testid="profile-headline">
      Most of your code&rsquo;s time is spent in{' '}
      <strong className="pv-code">{displayName(hottest.fn)}</strong>
      {where && <span className="pv-code pv-muted"> ({where})</span>}: {formatMs(hottest.ownLinesMs)} on its
      own lines, {formatPercent(totalMs > 0 ? hottest.ownLinesMs / totalMs : 0)} of the {formatMs(totalMs)}{' '}
      profiled.
    </p>
  );
}

/** cProfile's downloads: those the job lists, or both for results stored before jobs listed them. */
const CPROFILE_DOWNLOADS: readonly ArtifactName[] = ['profile.prof', 'profile.speedscope.json'];
