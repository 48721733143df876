/**
 * What a page knows about a followed job, and how each server-sent event of
 * GET /api/jobs/:id/events (see JobEvent in src/core/api.ts) changes it. Pure: no React, no
 * network, the clock passed in — `useJobFollow` (api/jobs.ts) owns the stream and renders.
 */
import type { JobState, JobView, OutputChunkView } from '../api/types';

export const TERMINAL_STATES: readonly JobState[] = ['finished', 'failed', 'cancelled', 'interrupted'];
export const isTerminal = (state: JobState | null | undefined): boolean =>
  state !== null && state !== undefined && TERMINAL_STATES.includes(state);

export interface JobSnapshot {
  /** null until the first event arrives. */
  state: JobState | null;
  queuePosition: number;
  /** Time since the job was created, as the server last said. */
  elapsedMs: number;
  /** performance.now() (ms) when elapsedMs was received; the page ticks on from there. */
  elapsedAt: number;
  output: OutputChunkView[];
  progress: string[];
  /** The final job, with its result, once the stream ended. */
  job: JobView | null;
  /** Could not follow the job (unknown id, server gone, unreadable end). */
  error: string | null;
  /** True while the event stream is connecting or reconnecting. */
  connecting: boolean;
}

/** Before the first event; `nowMs` is performance.now(). */
export const freshSnapshot = (nowMs: number): JobSnapshot => ({
  state: null,
  queuePosition: 0,
  elapsedMs: 0,
  elapsedAt: nowMs,
  output: [],
  progress: [],
  job: null,
  error: null,
  connecting: true,
});

/** The snapshot of a job that has ended: everything comes from the final job. */
export function endedSnapshot(snapshot: JobSnapshot, job: JobView, wallNowMs: number): JobSnapshot {
  return {
    ...snapshot,
    job,
    state: job.state,
    queuePosition: 0,
    output: job.output,
    progress: job.progress,
    elapsedMs: (job.finishedAt ?? wallNowMs) - job.createdAt,
    connecting: false,
  };
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return null;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object';

/** The end event carries the final job; accept both `{ job }` and the bare job. */
export function endJob(data: unknown): JobView | null {
  if (!isRecord(data)) return null;
  if (isRecord(data.job)) return data.job as unknown as JobView;
  return typeof data.id === 'string' ? (data as unknown as JobView) : null;
}

export const JOB_EVENT_TYPES = ['state', 'output', 'progress', 'end'] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/** Clocks an event is applied at: performance.now() and Date.now(), both in ms. */
export interface EventClock {
  nowMs: number;
  wallNowMs: number;
}

/**
 * The snapshot after one event (`data` is the SSE message's text), or null when the event is
 * unreadable and changes nothing. An unreadable `end` still ends the job, with an error.
 */
export function applyJobEvent(
  snapshot: JobSnapshot,
  type: JobEventType,
  data: string,
  clock: EventClock,
): JobSnapshot | null {
  const body = parse(data);
  switch (type) {
    case 'state': {
      if (!isRecord(body)) return null;
      const { state, queuePosition, elapsedMs } = body as {
        state: JobState;
        queuePosition: number;
        elapsedMs: number;
      };
      return { ...snapshot, state, queuePosition, elapsedMs, elapsedAt: clock.nowMs };
    }
    case 'output': {
      if (!isRecord(body) || !isRecord(body.chunk)) return null;
      return { ...snapshot, output: [...snapshot.output, body.chunk as unknown as OutputChunkView] };
    }
    case 'progress': {
      if (!isRecord(body) || typeof body.line !== 'string') return null;
      return { ...snapshot, progress: [...snapshot.progress, body.line] };
    }
    case 'end': {
      const job = endJob(body);
      return job
        ? endedSnapshot(snapshot, job, clock.wallNowMs)
        : { ...snapshot, error: 'The job ended, but its result could not be read.', connecting: false };
    }
  }
}
