/**
 * Following one job over GET /api/jobs/:id/events (`useJobFollow`), opening that stream
 * before the job exists (`newJobId`, `preopenJobStream`) and remembering which job a page
 * started (`rememberedJob`). Starting a job — the protocol every page follows — is
 * hooks/useJob.ts; the events' meaning is lib/job-events.ts, the transport lib/job-stream.ts.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import {
  applyJobEvent,
  endedSnapshot,
  freshSnapshot,
  isTerminal,
  JOB_EVENT_TYPES,
  type JobSnapshot,
} from '../lib/job-events';
import { JobStream } from '../lib/job-stream';
import { api, errorMessage } from './client';
import type { JobState, JobView, OutputChunkView } from './types';

export { isTerminal, TERMINAL_STATES } from '../lib/job-events';

/**
 * A fresh v4 UUID for a job about to be started. Pages follow the job (open its event stream)
 * at once and send the id with the start request, so the first output needs no extra round
 * trip. crypto.randomUUID exists only in secure contexts (https, localhost), so the id is made
 * from getRandomValues, which exists everywhere.
 */
export function newJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface JobFollow {
  jobId: string | null;
  /** null until the first event arrives. */
  state: JobState | null;
  queuePosition: number;
  /** Time since the job was created, ticking locally between events while it is live. */
  elapsedMs: number;
  output: OutputChunkView[];
  progress: string[];
  /** The final job, with its result, once the stream ended. */
  job: JobView | null;
  /** Could not follow the job (unknown id, server gone). */
  error: string | null;
  /** True while the event stream is connecting or reconnecting. */
  connecting: boolean;
  cancelling: boolean;
  cancel: () => Promise<void>;
}

/** The job has not ended yet (or not been seen to end). */
export function isLive(follow: JobFollow): boolean {
  return follow.jobId !== null && follow.job === null && follow.error === null;
}

const FRAME_MS = 16;
const STREAM_EVENTS = ['open', 'error', ...JOB_EVENT_TYPES] as const;

interface PreopenedStream {
  source: JobStream;
  replayInto(source: JobStream): void;
}
const preopenedStreams = new Map<string, PreopenedStream>();

/**
 * Opens a job's event stream right away — from the click handler, before React renders —
 * and keeps its events until `useJobFollow` for that id subscribes. Waiting for the render and
 * its effects cost a run's first output about ten milliseconds.
 */
export function preopenJobStream(jobId: string): void {
  if (preopenedStreams.has(jobId)) return;
  const source = new JobStream(api.jobEventsUrl(jobId));
  const buffered: Event[] = [];
  const keep = (event: Event) => buffered.push(event);
  for (const type of STREAM_EVENTS) source.addEventListener(type, keep);
  preopenedStreams.set(jobId, {
    source,
    replayInto(target) {
      for (const type of STREAM_EVENTS) source.removeEventListener(type, keep);
      for (const event of buffered)
        target.dispatchEvent(
          event instanceof MessageEvent
            ? new MessageEvent(event.type, { data: event.data })
            : new Event(event.type),
        );
    },
  });
  // Never followed (the start request failed, or the page went away): close it.
  setTimeout(() => {
    const left = preopenedStreams.get(jobId);
    if (left?.source === source) {
      preopenedStreams.delete(jobId);
      source.close();
    }
  }, 15_000);
}

function takePreopenedStream(jobId: string): PreopenedStream | undefined {
  const stream = preopenedStreams.get(jobId);
  preopenedStreams.delete(jobId);
  return stream;
}

const clock = () => ({ nowMs: performance.now(), wallNowMs: Date.now() });

/**
 * Follows a job over GET /api/jobs/:id/events. The stream replays everything first, so
 * attaching to a job started elsewhere (a reload, another tab) shows its whole output; the
 * snapshot is cleared on every (re)connection for the same reason. Updates are batched to one
 * render per animation frame, so chatty programs do not stall the page.
 */
export function useJobFollow(jobId: string | null): JobFollow {
  const acc = useRef<JobSnapshot>(freshSnapshot(performance.now()));
  const [snapshot, setSnapshot] = useState<JobSnapshot>(acc.current);
  const [now, setNow] = useState(() => performance.now());
  const [cancelling, setCancelling] = useState(false);
  const frame = useRef<number | null>(null);

  const lastRenderAt = useRef(0);

  // Leading edge at once (the first output of a run shows without waiting for a frame), then
  // at most one render per animation frame while output keeps coming.
  const flush = useCallback((now = false) => {
    if (now && frame.current !== null) {
      cancelAnimationFrame(frame.current);
      frame.current = null;
    }
    if (frame.current !== null) return;
    if (now || performance.now() - lastRenderAt.current > FRAME_MS) {
      lastRenderAt.current = performance.now();
      setSnapshot({ ...acc.current });
      return;
    }
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      lastRenderAt.current = performance.now();
      setSnapshot({ ...acc.current });
    });
  }, []);

  // A new job starts from a clean slate, set during render (not in the effect below, where it
  // would cost a second synchronous render of the whole page right after the click).
  const [followedJobId, setFollowedJobId] = useState(jobId);
  if (followedJobId !== jobId) {
    setFollowedJobId(jobId);
    acc.current = freshSnapshot(performance.now());
    setSnapshot(acc.current);
    setCancelling(false);
  }

  // A layout effect, not a passive one: a passive effect waits for the next paint, which
  // delayed opening the stream — and so a run's first output — by a frame.
  useLayoutEffect(() => {
    if (!jobId) return;
    let closed = false;
    const preopened = takePreopenedStream(jobId);
    const source = preopened?.source ?? new JobStream(api.jobEventsUrl(jobId));
    const update = (change: Partial<JobSnapshot>) => {
      acc.current = { ...acc.current, ...change };
      flush();
    };
    source.addEventListener('open', () => {
      // A (re)connection replays the job from its start. Not rendered by itself: the replay's
      // first event follows at once, and a render here would hold up the first output.
      acc.current = { ...freshSnapshot(performance.now()), connecting: false };
    });
    for (const type of JOB_EVENT_TYPES) {
      source.addEventListener(type, (event) => {
        const next = applyJobEvent(acc.current, type, String((event as MessageEvent).data), clock());
        if (type === 'end') {
          closed = true;
          source.close();
        }
        if (!next) return;
        acc.current = next;
        // The first output of a run is shown at once; later chunks are batched per frame.
        flush(type === 'output' && next.output.length === 1);
      });
    }
    source.addEventListener('error', () => {
      if (closed) return;
      if (source.readyState !== JobStream.CLOSED) {
        update({ connecting: true });
        return;
      }
      // The server refused the stream (an unknown job, or the server went away): ask once.
      closed = true;
      api.job(jobId).then(
        (job) => {
          if (isTerminal(job.state)) {
            acc.current = endedSnapshot(acc.current, job, Date.now());
            flush();
          } else {
            update({ error: 'Lost the connection to this job.', connecting: false });
          }
        },
        (error: unknown) => update({ error: errorMessage(error), connecting: false }),
      );
    });
    // Events that reached a pre-opened stream before this hook subscribed, in order.
    preopened?.replayInto(source);
    return () => {
      closed = true;
      source.close();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [jobId, flush]);

  const live = jobId !== null && snapshot.job === null && snapshot.error === null;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(performance.now()), 200);
    return () => clearInterval(timer);
  }, [live]);

  const cancel = useCallback(async () => {
    if (!jobId) return;
    setCancelling(true);
    try {
      const job = await api.cancelJob(jobId);
      if (isTerminal(job.state) && acc.current.job === null) {
        // The stream's `end` normally follows; this covers a stream that already dropped.
        acc.current = { ...acc.current, state: job.state };
        flush();
      }
    } catch (error) {
      acc.current = { ...acc.current, error: errorMessage(error) };
      flush();
    } finally {
      setCancelling(false);
    }
  }, [jobId, flush]);

  const ticking =
    live && (snapshot.state === 'queued' || snapshot.state === 'running')
      ? Math.max(0, now - snapshot.elapsedAt)
      : 0;
  return {
    jobId,
    state: snapshot.state,
    queuePosition: snapshot.queuePosition,
    elapsedMs: snapshot.elapsedMs + ticking,
    output: snapshot.output,
    progress: snapshot.progress,
    job: snapshot.job,
    error: snapshot.error,
    connecting: snapshot.connecting,
    cancelling,
    cancel,
  };
}

/** Where a page remembers the job it last started, so a reload attaches to it again. */
export interface JobMemory {
  /** The Storage key; its `storage` event tells other tabs about a new job. */
  readonly storageKey: string;
  get(): string | null;
  set(jobId: string | null): void;
}

/**
 * A job memory in localStorage (a reload or another tab attaches again) or sessionStorage
 * (this tab only). Storage may be disabled (private mode): then nothing is remembered.
 */
export function rememberedJob(key: string, where: 'local' | 'session' = 'local'): JobMemory {
  const storageKey = `perflab:job:${key}`;
  const storage = (): Storage => (where === 'local' ? localStorage : sessionStorage);
  return {
    storageKey,
    get() {
      try {
        return storage().getItem(storageKey);
      } catch {
        return null;
      }
    },
    set(jobId) {
      try {
        if (jobId) storage().setItem(storageKey, jobId);
        else storage().removeItem(storageKey);
      } catch {
        // Not remembered: re-attaching then relies on the job history, if any.
      }
    },
  };
}
