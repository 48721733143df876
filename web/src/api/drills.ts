/**
 * The typed client of the interview-prep API (/api/drills, /api/drill-sessions). Request and
 * response types come from src/core/drill-api.ts as types only (zod stays out of the bundle);
 * every call goes through ./client's `request`, so failures are the same `ApiError`s.
 *
 * "Today" is the learner's day: list, review queue, grade and undo send the browser's offset
 * from UTC in minutes (east positive), so "due today" ends at the learner's local midnight.
 */
import type { z } from 'zod';
import type {
  DrillKind,
  DrillList,
  DrillSettings,
  DrillView,
  mockBodySchema,
  quickFireBodySchema,
  ReviewQueue,
  ReviewResult,
  SessionHistory,
  SessionView,
  sessionAnswerBodySchema,
  reviewBodySchema,
  UndoResult,
} from '../../../src/core/drill-api.js';
import { request } from './client';

export type * from '../../../src/core/drill-api.js';
export type { DrillGrade } from '../../../src/core/drills/scheduler.js';

/** What a caller may send (defaults filled in by the server). */
export type ReviewBody = z.input<typeof reviewBodySchema>;
export type QuickFireBody = z.input<typeof quickFireBodySchema>;
export type MockBody = z.input<typeof mockBodySchema>;
export type SessionAnswerBody = z.input<typeof sessionAnswerBodySchema>;

export interface DrillFilter {
  module?: string;
  topic?: string;
  kind?: DrillKind;
}

export interface ReviewQueueFilter {
  module?: string;
  topic?: string;
  /** New questions to introduce after the due ones (server default 10). */
  newLimit?: number;
  /** At most this many questions (server default 50). */
  limit?: number;
}

/** Minutes east of UTC, as the API's `utcOffsetMinutes` wants it (getTimezoneOffset is west). */
export function utcOffsetMinutes(at = new Date()): number {
  return -at.getTimezoneOffset();
}

/** A query string of the defined values, with the learner's UTC offset when `withOffset`. */
function query(params: Record<string, string | number | undefined>, withOffset = true): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  if (withOffset) search.set('utcOffsetMinutes', String(utcOffsetMinutes()));
  const text = search.toString();
  return text ? `?${text}` : '';
}

const get = <T>(url: string, signal?: AbortSignal) => request<T>('GET', url, undefined, signal);
const enc = encodeURIComponent;
const drillUrl = (id: string) => `/api/drills/${enc(id)}`;
const sessionUrl = (id: string) => `/api/drill-sessions/${enc(id)}`;
const itemUrl = (id: string, index: number) => `${sessionUrl(id)}/items/${index}`;

export const drillsApi = {
  /** Every question (filtered) with its state, the counts, modules, topics and settings. */
  list: (filter: DrillFilter = {}, signal?: AbortSignal) =>
    get<DrillList>(`/api/drills${query({ ...filter })}`, signal),
  /** Due questions first (most overdue first), then new ones in course order. */
  reviewQueue: (filter: ReviewQueueFilter = {}, signal?: AbortSignal) =>
    get<ReviewQueue>(`/api/drills/review${query({ ...filter })}`, signal),
  drill: (id: string, signal?: AbortSignal) => get<DrillView>(drillUrl(id), signal),
  review: (id: string, body: ReviewBody) =>
    request<ReviewResult>('POST', `${drillUrl(id)}/review${query({})}`, body),
  /** Takes back the learner's last grade, whatever graded it. */
  undo: () => request<UndoResult>('POST', `/api/drills/undo${query({})}`, {}),

  settings: (signal?: AbortSignal) => get<DrillSettings>('/api/drills/settings', signal),
  saveSettings: (settings: DrillSettings) => request<DrillSettings>('PUT', '/api/drills/settings', settings),

  startQuickFire: (body: QuickFireBody = {}) => request<SessionView>('POST', '/api/drills/quick-fire', body),
  startMock: (body: MockBody = {}) => request<SessionView>('POST', '/api/drills/mock', body),

  session: (id: string, signal?: AbortSignal) => get<SessionView>(sessionUrl(id), signal),
  /** Past sessions, newest first. */
  sessions: (filter: { kind?: SessionView['kind']; limit?: number } = {}, signal?: AbortSignal) =>
    get<SessionHistory>(`/api/drill-sessions${query({ ...filter }, false)}`, signal),
  /** Starts one part's timer (idempotent on the server). */
  startItem: (id: string, index: number) => request<SessionView>('POST', `${itemUrl(id, index)}/start`, {}),
  answerItem: (id: string, index: number, body: SessionAnswerBody) =>
    request<SessionView>('POST', `${itemUrl(id, index)}/answer`, body),
  /** Ends the session: unanswered parts count as timed out; the summary is computed. */
  finishSession: (id: string) => request<SessionView>('POST', `${sessionUrl(id)}/finish`, {}),
};
