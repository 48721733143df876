/** What the exercise's job history says about each job. */
import type { JobSummary } from '../../api/types';

export const KIND_LABEL: Record<string, string> = {
  run: 'Run',
  profile: 'Profile',
  verify: 'Verify',
  timeit: 'Timeit',
  block: 'Example',
};

/** What a history row says: a verification's verdict, else the job's state. */
export function historyOutcome(job: Pick<JobSummary, 'kind' | 'state' | 'passed'>): string {
  // A finished verification with no pass/fail verdict had a check the machine could not decide.
  if (job.kind === 'verify' && job.passed !== null) return job.passed ? 'passed' : 'failed';
  if (job.kind === 'verify' && job.state === 'finished') return 'undecided';
  return job.state;
}
