/**
 * A job's record as it starts, and what a client sees of it: its view (without the download
 * files, which stay on the server, see artifacts.ts) and the events that replay it to a new subscriber.
 */
import type { JobEvent, JobView, OutputChunkView } from '../core/api.js';
import type { JobRecord } from '../store/types.js';
import { withoutArtifacts } from './artifacts.js';

/** The record of a job just accepted: queued, nothing run or said yet. */
export function queuedRecord(
  job: Pick<JobRecord, 'id' | 'learnerId' | 'kind' | 'target' | 'request'>,
): JobRecord {
  return {
    ...job,
    state: 'queued',
    createdAt: Date.now(),
    startedAt: null,
    finishedAt: null,
    message: null,
    passed: null,
    output: [],
    outputTruncated: false,
    progress: [],
    result: null,
  };
}

export function jobView(record: JobRecord, queuePosition: number): JobView {
  const result = record.result as Record<string, unknown> | null;
  let publicResult: Record<string, unknown> | null = null;
  if (result) publicResult = withoutArtifacts(result);
  return {
    id: record.id,
    kind: record.kind,
    target: record.target,
    state: record.state,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    message: record.message,
    passed: record.passed,
    queuePosition,
    output: record.output as OutputChunkView[],
    outputTruncated: record.outputTruncated,
    progress: record.progress,
    result: publicResult as JobView['result'],
  };
}

/** A job's state event: its state, place in the queue, and time since it was created. */
export function stateEvent(
  job: Pick<JobView, 'state' | 'createdAt' | 'finishedAt'>,
  queuePosition: number,
): JobEvent {
  return {
    type: 'state',
    state: job.state,
    queuePosition,
    elapsedMs: (job.finishedAt ?? Date.now()) - job.createdAt,
  };
}

/** Everything a job has sent so far, for a subscriber that arrives late. */
export function replay(view: JobView, listener: (event: JobEvent) => void): void {
  listener(stateEvent(view, view.queuePosition));
  for (const line of view.progress) listener({ type: 'progress', line });
  for (const chunk of view.output) listener({ type: 'output', chunk });
}
