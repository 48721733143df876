/**
 * The typed HTTP client of perflab's JSON API (`api.*`) and its error type. Request and
 * response types come from src/core/api.ts (through ./types, `import type` only), so zod
 * never reaches the browser bundle. Following a job lives in ./jobs, page data in ./load.
 */
import type {
  CourseIndex,
  ExerciseView,
  ExplanationResponse,
  Health,
  HintResponse,
  JobCreated,
  JobList,
  JobView,
  LessonView,
  Progress,
  SavedFiles,
  StartExerciseJob,
  StartWorkbenchJob,
} from './types';

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

/** One JSON request; every API client (this one, ./drills) goes through it. */
export async function request<T>(
  method: string,
  url: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
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

const get = <T>(url: string, signal?: AbortSignal) => request<T>('GET', url, undefined, signal);
const enc = encodeURIComponent;
const encPath = (path: string) => path.split('/').map(enc).join('/');
const exerciseUrl = (id: string) => `/api/exercises/${enc(id)}`;

export const api = {
  health: (signal?: AbortSignal) => get<Health>('/api/health', signal),
  course: (signal?: AbortSignal) => get<CourseIndex>('/api/course', signal),
  progress: (signal?: AbortSignal) => get<Progress>('/api/progress', signal),

  lesson: (id: string, signal?: AbortSignal) => get<LessonView>(`/api/lessons/${enc(id)}`, signal),
  markLessonRead: (id: string) => request<void>('POST', `/api/lessons/${enc(id)}/read`, {}),
  runBlock: (id: string, index: number, jobId?: string) =>
    request<JobCreated>('POST', `/api/lessons/${enc(id)}/blocks/${index}/run`, { jobId }),

  exercise: (id: string, signal?: AbortSignal) => get<ExerciseView>(exerciseUrl(id), signal),
  saveFiles: (id: string, files: Record<string, string>) =>
    request<SavedFiles>('PUT', `${exerciseUrl(id)}/files`, { files }),
  resetFiles: (id: string) => request<ExerciseView>('DELETE', `${exerciseUrl(id)}/files`),
  restoreFiles: (id: string, jobId: string) =>
    request<ExerciseView>('POST', `${exerciseUrl(id)}/files/restore`, { jobId }),
  dataFileUrl: (id: string, path: string) => `${exerciseUrl(id)}/data/${encPath(path)}`,
  nextHint: (id: string) => request<HintResponse>('POST', `${exerciseUrl(id)}/hints`, {}),
  explanation: (id: string) => request<ExplanationResponse>('POST', `${exerciseUrl(id)}/explanation`, {}),
  startExerciseJob: (id: string, body: StartExerciseJob) =>
    request<JobCreated>('POST', `${exerciseUrl(id)}/jobs`, body),
  exerciseJobs: (id: string, limit = 20, signal?: AbortSignal) =>
    get<JobList>(`${exerciseUrl(id)}/jobs?limit=${limit}`, signal),

  startWorkbenchJob: (body: StartWorkbenchJob) => request<JobCreated>('POST', '/api/workbench/jobs', body),

  job: (id: string, signal?: AbortSignal) => get<JobView>(`/api/jobs/${enc(id)}`, signal),
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
    void fetch(`${exerciseUrl(id)}/files`, {
      method: 'PUT',
      keepalive: true,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files }),
    }).catch(() => undefined);
  } catch {
    // keepalive bodies are limited to 64 KB; the debounced save covers larger edits.
  }
}
