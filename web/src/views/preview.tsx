/**
 * A development preview of every view with the sample data in fixtures.ts. Render <PreviewAll />
 * anywhere inside the app shell (which provides the theme variables) to look at them.
 */
import { useState } from 'react';
import { ProfileView } from './ProfileView';
import { RunSummary } from './RunSummary';
import { TimeitChart } from './TimeitChart';
import { VerifyReportView } from './VerifyReportView';
import {
  passingVerifyReportFixture,
  undecidedVerifyReportFixture,
  profileResultFixture,
  runFixtures,
  timeitReportFixture,
  verifyReportFixture,
} from './fixtures';
import type { FunctionRef } from './profile-types';

export function PreviewAll() {
  const [selected, setSelected] = useState<FunctionRef | null>(null);
  return (
    <div className="pv-preview">
      <h2>Run summaries</h2>
      <RunSummary run={runFixtures.finished} />
      <RunSummary run={runFixtures.failed} />
      <RunSummary run={runFixtures.hung} />
      <h2>Profile</h2>
      <p aria-live="polite">
        {selected
          ? `Selected ${selected.name} at ${selected.file}:${selected.line}`
          : 'No function selected.'}
      </p>
      <ProfileView
        result={profileResultFixture}
        artifactsBase="/api/jobs/preview/artifacts"
        onSelectFunction={setSelected}
      />
      <h2>timeit</h2>
      <TimeitChart report={timeitReportFixture} gcEnabled={false} />
      <h2>Verification</h2>
      <VerifyReportView report={verifyReportFixture} />
      <VerifyReportView report={passingVerifyReportFixture} />
      <VerifyReportView report={undecidedVerifyReportFixture} />
    </div>
  );
}

export default PreviewAll;
