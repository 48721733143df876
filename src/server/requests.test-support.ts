/**
 * How the server's API tests talk to the app: start a job and follow its event stream to the
 * end as the browser does, post a workbench job, or send a raw request on a real socket.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { InjectOptions } from 'fastify';
import { expect } from 'vitest';
import type { JobView } from '../core/api.js';
import { app } from './server.test-support.js';

export interface SseEvent {
  event: string;
  data: unknown;
}

export function parseSse(body: string): SseEvent[] {
  return body
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) as unknown };
    });
}

export async function startJob(url: string, payload: object): Promise<string> {
  const response = await app.inject({ method: 'POST', url, payload });
  expect(response.statusCode, response.body).toBe(202);
  return response.json<{ jobId: string }>().jobId;
}

/** Follows the job's event stream to its end, as the browser does. */
export async function follow(jobId: string): Promise<{ events: SseEvent[]; job: JobView }> {
  const response = await app.inject({ url: `/api/jobs/${jobId}/events` });
  expect(response.headers['content-type']).toContain('text/event-stream');
  const events = parseSse(response.body);
  const end = events.at(-1);
  expect(end?.event).toBe('end');
  return { events, job: (end?.data as { job: JobView }).job };
}

/** POSTs a workbench job: a JSON object, or a raw body sent as JSON. */
export function postWorkbench(payload: object | string, headers: InjectOptions['headers'] = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/workbench/jobs',
    headers: typeof payload === 'string' ? { 'content-type': 'application/json', ...headers } : headers,
    payload,
  });
}

/** A request on a real socket, with any Host header (or none). */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        setHost: false,
        headers: { ...(options.host === undefined ? {} : { host: options.host }), ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
