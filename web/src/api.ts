/**
 * The typed client of perflab's JSON API, and `useJob`, which follows one job over
 * server-sent events. Types come from src/core/api.ts with `import type` only, so zod (the
 * server's validator) never reaches the browser bundle.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { JobStream } from './lib/job-stream';
import type {
  CourseIndex,
  ExerciseView,
  Health,
  JobCreated,
  JobState,
  JobSummary,
  JobView,
  LessonView,
  OutputChunkView,
  Progress,
} from './api-types';

export type * from './api-types';

/** An error answer of the API (`{ error, message, issues? }`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A message for a person, from anything thrown by the client. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const issues = error.issues.length > 0 ? ` (${error.issues.join('; ')})` : '';
    return `${error.message}${issues}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      signal,
      // A change without a body carries X-Perflab: the server refuses body-less changes without
      // it (or JSON), so another site cannot make them with a plain form or no-cors fetch.
      headers:
        body === undefined
          ? method === 'GET'
            ? { accept: 'application/json' }
            : { accept: 'application/json', 'x-perflab': '1' }
          : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'The perflab server could not be reached. Is it still running?');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data = parseJson(text);
  if (!response.ok) {
    const err = (data ?? {}) as { error?: string; message?: string; issues?: string[] };
    throw new ApiError(
      response.status,
      err.error ?? `http-${response.status}`,
      err.message ?? `The server answered ${response.status} ${response.statusText}.`,
      Array.isArray(err.issues) ? err.issues : [],
    );
  }
  return data as T;
}

const enc = encodeURIComponent;
const encPath = (path: string) => path.split('/').map(enc).join('/');

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

export type ExerciseJobKind = 'run' | 'profile' | 'verify';
export type WorkbenchJobKind = 'run' | 'profile' | 'timeit';

export interface WorkbenchFile {
  path: string;
  content: string;
  base64?: boolean;
}

export interface WorkbenchJobRequest {
  kind: WorkbenchJobKind;
  entry: string;
  files: WorkbenchFile[];
  args?: string[];
  stdin?: string;
  candidates?: string[];
  jobId?: string;
}

export const api = {
  health: (signal?: AbortSignal) => request<Health>('GET', '/api/health', undefined, signal),
  course: (signal?: AbortSignal) => request<CourseIndex>('GET', '/api/course', undefined, signal),
  progress: (signal?: AbortSignal) => request<Progress>('GET', '/api/progress', undefined, signal),

  lesson: (id: string, signal?: AbortSignal) =>
    request<LessonView>('GET', `/api/lessons/${enc(id)}`, undefined, signal),
  markLessonRead: (id: string) => request<void>('POST', `/api/lessons/${enc(id)}/read`, {}),
  runBlock: (id: string, index: number, jobId?: string) =>
    request<JobCreated>('POST', `/api/lessons/${enc(id)}/blocks/${index}/run`, { jobId }),

  exercise: (id: string, signal?: AbortSignal) =>
    request<ExerciseView>('GET', `/api/exercises/${enc(id)}`, undefined, signal),
  saveFiles: (id: string, files: Record<string, string>) =>
    request<{ savedAt: number | null }>('PUT', `/api/exercises/${enc(id)}/files`, { files }),
  resetFiles: (id: string) => request<ExerciseView>('DELETE', `/api/exercises/${enc(id)}/files`),
  restoreFiles: (id: string, jobId: string) =>
    request<ExerciseView>('POST', `/api/exercises/${enc(id)}/files/restore`, { jobId }),
  dataFileUrl: (id: string, path: string) => `/api/exercises/${enc(id)}/data/${encPath(path)}`,
  nextHint: (id: string) =>
    request<{ hints: string[]; hintsTotal: number }>('POST', `/api/exercises/${enc(id)}/hints`, {}),
  explanation: (id: string) =>
    request<{ explanation: string }>('POST', `/api/exercises/${enc(id)}/explanation`, {}),
  startExerciseJob: (
    id: string,
    kind: ExerciseJobKind,
    files?: Record<string, string>,
    stdin?: string,
    jobId?: string,
  ) => request<JobCreated>('POST', `/api/exercises/${enc(id)}/jobs`, { kind, files, stdin, jobId }),
  exerciseJobs: (id: string, limit = 20, signal?: AbortSignal) =>
    request<{ jobs: JobSummary[] }>(
      'GET',
      `/api/exercises/${enc(id)}/jobs?limit=${limit}`,
      undefined,
      signal,
    ),

  startWorkbenchJob: (body: WorkbenchJobRequest) => request<JobCreated>('POST', '/api/workbench/jobs', body),

  job: (id: string, signal?: AbortSignal) =>
    request<JobView>('GET', `/api/jobs/${enc(id)}`, undefined, signal),
  cancelJob: (id: string) => request<JobView>('POST', `/api/jobs/${enc(id)}/cancel`, {}),
  // pending=1: the stream may be opened before the job's start request arrives (see newJobId).
  jobEventsUrl: (id: string) => `/api/jobs/${enc(id)}/events?pending=1`,
  artifactsBase: (id: string) => `/api/jobs/${enc(id)}/artifacts`,
};

/**
 * Saves files with `keepalive`, so the request survives the page being closed (auto-save's
 * last word on `pagehide`). Failures are ignored: the debounced save has already reported.
 */
export function saveFilesOnUnload(id: string, files: Record<string, string>): void {
  try {
    void fetch(`/api/exercises/${enc(id)}/files`, {
      method: 'PUT',
      keepalive: true,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files }),
    }).catch(() => undefined);
  } catch {
    // keepalive bodies are limited to 64 KB; the debounced save covers larger edits.
  }
}

// ---------------------------------------------------------------- following a job

export const TERMINAL_STATES: readonly JobState[] = ['finished', 'failed', 'cancelled', 'interrupted'];
export const isTerminal = (state: JobState | null | undefined): boolean =>
  state !== null && state !== undefined && TERMINAL_STATES.includes(state);

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

interface Accumulated {
  state: JobState | null;
  queuePosition: number;
  elapsedMs: number;
  /** performance.now() when elapsedMs was received. */
  elapsedAt: number;
  output: OutputChunkView[];
  progress: string[];
  job: JobView | null;
  error: string | null;
  connecting: boolean;
}

const fresh = (): Accumulated => ({
  state: null,
  queuePosition: 0,
  elapsedMs: 0,
  elapsedAt: performance.now(),
  output: [],
  progress: [],
  job: null,
  error: null,
  connecting: true,
});

function parse<T>(event: MessageEvent): T | null {
  try {
    return JSON.parse(String(event.data)) as T;
  } catch {
    return null;
  }
}

/** The end event carries the final job; accept both `{ job }` and the bare job. */
function endJob(data: unknown): JobView | null {
  if (!data || typeof data !== 'object') return null;
  const record = data as { job?: JobView; id?: string };
  if (record.job && typeof record.job === 'object') return record.job;
  return typeof record.id === 'string' ? (data as JobView) : null;
}

/**
 * Follows a job over GET /api/jobs/:id/events. The stream replays everything first, so
 * attaching to a job started elsewhere (a reload, another tab) shows its whole output; the
 * accumulated state is cleared on every (re)connection for the same reason. Updates are
 * batched to one render per animation frame, so chatty programs do not stall the page.
 */
const FRAME_MS = 16;
const STREAM_EVENTS = ['open', 'error', 'state', 'output', 'progress', 'end'] as const;

interface PreopenedStream {
  source: JobStream;
  replayInto(source: JobStream): void;
}
const preopenedStreams = new Map<string, PreopenedStream>();

/**
 * Opens a job's event stream right away — from the click handler, before React renders —
 * and keeps its events until `useJob` for that id subscribes. Waiting for the render and its
 * effects cost a run's first output about ten milliseconds.
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

export function useJob(jobId: string | null): JobFollow {
  const acc = useRef<Accumulated>(fresh());
  const [snapshot, setSnapshot] = useState<Accumulated>(acc.current);
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
    acc.current = fresh();
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
    const update = (change: Partial<Accumulated>) => {
      acc.current = { ...acc.current, ...change };
      flush();
    };
    source.addEventListener('open', () => {
      // A (re)connection replays the job from its start. Not rendered by itself: the replay's
      // first event follows at once, and a render here would hold up the first output.
      acc.current = { ...fresh(), connecting: false };
    });
    source.addEventListener('state', (event) => {
      const data = parse<{ state: JobState; queuePosition: number; elapsedMs: number }>(
        event as MessageEvent,
      );
      if (!data) return;
      update({
        state: data.state,
        queuePosition: data.queuePosition,
        elapsedMs: data.elapsedMs,
        elapsedAt: performance.now(),
      });
    });
    source.addEventListener('output', (event) => {
      const data = parse<{ chunk: OutputChunkView }>(event as MessageEvent);
      if (!data?.chunk) return;
      acc.current.output = [...acc.current.output, data.chunk];
      // The first output of a run is shown at once; later chunks are batched per frame.
      flush(acc.current.output.length === 1);
    });
    source.addEventListener('progress', (event) => {
      const data = parse<{ line: string }>(event as MessageEvent);
      if (!data || typeof data.line !== 'string') return;
      acc.current.progress = [...acc.current.progress, data.line];
      flush();
    });
    source.addEventListener('end', (event) => {
      const job = endJob(parse<unknown>(event as MessageEvent));
      closed = true;
      source.close();
      if (job) {
        update({
          job,
          state: job.state,
          queuePosition: 0,
          output: job.output,
          progress: job.progress,
          elapsedMs: (job.finishedAt ?? Date.now()) - job.createdAt,
          connecting: false,
        });
      } else {
        update({ error: 'The job ended, but its result could not be read.', connecting: false });
      }
    });
    source.addEventListener('error', () => {
      if (closed) return;
      if (source.readyState === JobStream.CLOSED) {
        // The server refused the stream (an unknown job, or the server went away): ask once.
        closed = true;
        api.job(jobId).then(
          (job) => {
            if (isTerminal(job.state)) {
              update({
                job,
                state: job.state,
                output: job.output,
                progress: job.progress,
                connecting: false,
              });
            } else {
              update({ error: 'Lost the connection to this job.', connecting: false });
            }
          },
          (error: unknown) => update({ error: errorMessage(error), connecting: false }),
        );
      } else {
        update({ connecting: true });
      }
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

// ---------------------------------------------------------------- remembering running jobs

/** Remembers the job a page last started, so a reload (or another tab) attaches to it again. */
export const jobMemory = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(`perflab:job:${key}`);
    } catch {
      return null;
    }
  },
  set(key: string, jobId: string | null): void {
    try {
      if (jobId) localStorage.setItem(`perflab:job:${key}`, jobId);
      else localStorage.removeItem(`perflab:job:${key}`);
    } catch {
      // Storage may be disabled (private mode); re-attaching then relies on the job history.
    }
  },
};

// ---------------------------------------------------------------- loading data

export type Loadable<T> =
  { status: 'loading' } | { status: 'error'; error: ApiError | Error } | { status: 'ready'; data: T };

/** Loads once per key; `reload()` loads again, `set()` replaces the data after a mutation. */
export function useLoad<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): [Loadable<T>, { reload: () => void; set: (data: T) => void }] {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => controller.abort();
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return [state, { reload, set }];
}
