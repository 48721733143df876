/**
 * What the drill API tests share: the real server over the real course and a real SQLite store
 * (`useTestApp`), with a clock the test moves (`clock.nowMs`, ms since the epoch) and the learner
 * named by the `x-test-learner` header (the seam accounts will replace), so each test acts as
 * its own learner.
 */
import { app, course, useTestApp } from './server.test-support.js';

export { course };

/** 2026-01-05 12:00 UTC: midday, so a few hours either way stay on the same UTC day. */
export const START_MS = Date.UTC(2026, 0, 5, 12, 0, 0);
export const clock = { nowMs: START_MS };
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Builds this test file's app (the clock above, the learner from the header) and closes it after. */
export function useDrillApp(): void {
  useTestApp({
    now: () => clock.nowMs,
    learnerOf: (request) => String(request.headers['x-test-learner'] ?? 'local'),
  });
}

export interface Reply<T> {
  status: number;
  body: T;
}

/**
 * One request as `learner`. Changes carry `X-Perflab: 1` as the web app's client does (the
 * boundary wants it on a POST without a body); `headers` adds to or replaces the defaults, and
 * an `undefined` value leaves that header out.
 */
export async function call<T>(
  learner: string,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: object,
  headers: Record<string, string | undefined> = {},
): Promise<Reply<T>> {
  const all = { 'x-test-learner': learner, ...(method === 'GET' ? {} : { 'x-perflab': '1' }), ...headers };
  const response = await app.inject({
    method,
    url,
    payload,
    headers: Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)) as Record<
      string,
      string
    >,
  });
  return { status: response.statusCode, body: response.json<T>() };
}

/** `call` that expects `status` (the body in the failure message). */
export async function ok<T>(
  learner: string,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: object,
  status = 200,
): Promise<T> {
  const reply = await call<T>(learner, method, url, payload);
  if (reply.status !== status)
    throw new Error(`${method} ${url} → ${reply.status}, wanted ${status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}
