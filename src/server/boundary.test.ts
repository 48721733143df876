/**
 * The server boundary (issue 9): the origins served, cross-site changes, security headers, and
 * refusing to run learner code unisolated.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { SandboxUnavailableError } from '../sandbox/select.js';
import { runtime } from '../test-support/sandboxes.js';
import { buildApp } from './app.js';
import { isLoopbackAddress } from './boundary.js';
import { startServer } from './serve.js';
import { app, course, editablePath, runner, store, useTestApp } from './server.test-support.js';
import { rawRequest, startJob } from './requests.test-support.js';

useTestApp();

describe('only the configured origins are served (DNS rebinding)', () => {
  const foreign = { host: 'evil.example:4321', origin: 'http://evil.example:4321' };
  it.each([
    ['GET', '/api/progress', undefined],
    [
      'POST',
      '/api/workbench/jobs',
      { kind: 'run', entry: 'a.py', files: [{ path: 'a.py', content: 'print(open("/etc/passwd").read())' }] },
    ],
    [
      'PUT',
      '/api/exercises/racy-counter/files',
      { files: { [editablePath('racy-counter')]: '# foreign\n' } },
    ],
    ['GET', '/', undefined],
    ['GET', '/lessons/anything', undefined],
  ])('%s %s under Host evil.example:4321 → 421 saying how to allow it', async (method, url, payload) => {
    const jobsBefore = (await store.listJobs({ learnerId: 'local', limit: 1000 })).length;
    const response = await app.inject({
      method: method as 'GET',
      url,
      payload: payload as object | undefined,
      headers: foreign,
    });
    expect(response.statusCode, response.body).toBe(421);
    expect(response.json<{ message: string }>().message).toMatch(/--public-url.*PERFLAB_PUBLIC_URL/);
    expect((await store.listJobs({ learnerId: 'local', limit: 1000 })).length).toBe(jobsBefore);
    expect((await store.getSavedFiles('local', 'racy-counter'))?.files).not.toEqual({
      [editablePath('racy-counter')]: '# foreign\n',
    });
  });

  it('once listening: the loopback names on the bound port and the public URL, nothing else', async () => {
    const served = await buildApp({
      course,
      store,
      runner,
      runtime,
      publicUrls: ['https://perflab.example.org'],
    });
    await served.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (served.app.server.address() as AddressInfo).port;
      const status = async (host: string | undefined) =>
        (await rawRequest(port, { path: '/api/health', host })).status;
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'perflab.example.org'])
        expect(await status(host), host).toBe(200);
      for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost', 'evil.example'])
        expect(await status(host), host).toBe(421);
      // No Host at all: Node's HTTP server answers 400 itself before perflab sees the request.
      expect(await status(undefined)).not.toBe(200);

      // Origins: the bound port only; another local port is another site.
      const hint = (origin: string) =>
        rawRequest(port, {
          method: 'POST',
          path: '/api/exercises/word-frequency/hints',
          host: `127.0.0.1:${port}`,
          headers: { origin, 'x-perflab': '1' },
        });
      expect((await hint(`http://127.0.0.1:${port + 1}`)).status).toBe(403);
      expect((await hint(`http://localhost:${port}`)).status).toBe(200);
      expect((await hint('https://perflab.example.org')).status).toBe(200);
    } finally {
      await served.jobs.close(0);
      await served.app.close();
    }
  });
});

describe('changes only from perflab’s own pages (cross-site requests)', () => {
  const lessonId = () => course.lessons[2]?.id as string;
  const targets = () => [
    '/api/exercises/racy-counter/hints',
    '/api/exercises/racy-counter/explanation',
    `/api/lessons/${lessonId()}/read`,
    '/api/jobs/00000000-0000-4000-8000-000000000000/cancel',
  ];

  it('a foreign page gets 403 for body-less and text/plain POSTs, and nothing changes', async () => {
    const attacks: { headers: Record<string, string>; payload?: string }[] = [
      { headers: { origin: 'http://evil.example' } },
      { headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, payload: '{}' },
      { headers: { origin: 'null', 'x-perflab': '1' } },
      { headers: { 'sec-fetch-site': 'cross-site' } },
      { headers: { 'sec-fetch-site': 'same-site', 'content-type': 'text/plain' }, payload: 'x' },
      // No Origin and no Sec-Fetch-Site (an old browser, a form): neither JSON nor the header.
      { headers: {} },
      { headers: { 'content-type': 'text/plain' }, payload: '{}' },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' },
    ];
    for (const url of targets())
      for (const attack of attacks) {
        const response = await app.inject({ method: 'POST', url, ...attack });
        expect(response.statusCode, `${url} ${JSON.stringify(attack)}: ${response.body}`).toBe(403);
        expect(response.json<{ message: string }>().message).toMatch(/own pages|JSON|X-Perflab/);
      }
    const progress = await store.getProgress('local');
    expect(progress.exercises['racy-counter']?.hintsShown ?? 0).toBe(0);
    expect(progress.exercises['racy-counter']?.explanationShown ?? false).toBe(false);
    expect(progress.lessons[lessonId()]?.readAt ?? null).toBeNull();
  });

  it('the app’s own requests, and clients without Origin that send JSON or X-Perflab, pass', async () => {
    const ok = [
      { headers: { origin: 'http://localhost:4321', 'content-type': 'application/json' }, payload: '{}' },
      { headers: { 'sec-fetch-site': 'same-origin', 'x-perflab': '1' } },
      { headers: { 'x-perflab': '1' } },
      { headers: { 'content-type': 'application/json; charset=utf-8' }, payload: '{}' },
    ];
    for (const request of ok) {
      const response = await app.inject({
        method: 'POST',
        url: `/api/lessons/${lessonId()}/read`,
        ...request,
      });
      expect(response.statusCode, JSON.stringify(request)).toBe(204);
    }
  });
});

describe('security headers', () => {
  function expectHeaders(headers: Record<string, unknown>, what: string) {
    const csp = String(headers['content-security-policy']);
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc, what).toBe("'self'");
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(csp, what).toContain("object-src 'none'");
    expect(csp, what).toContain("default-src 'self'");
    expect(headers['x-frame-options'], what).toBe('DENY');
    expect(headers['x-content-type-options'], what).toBe('nosniff');
    expect(headers['referrer-policy'], what).toBe('no-referrer');
  }

  it.each([
    '/api/health',
    '/',
    '/exercises/word-frequency',
    '/api/nothing',
    '/api/exercises/word-frequency/data/words.py',
  ])('GET %s carries the CSP, frame and sniffing protection', async (url) => {
    expectHeaders((await app.inject({ url })).headers, url);
  });

  it('refusals and job event streams carry them too', async () => {
    expectHeaders(
      (await app.inject({ url: '/api/health', headers: { host: 'evil.example' } })).headers,
      '421',
    );
    const jobId = await startJob('/api/workbench/jobs', {
      kind: 'run',
      entry: 'main.py',
      files: [{ path: 'main.py', content: 'print(1)\n' }],
    });
    const stream = await app.inject({ url: `/api/jobs/${jobId}/events` });
    expect(stream.headers['content-type']).toContain('text/event-stream');
    expectHeaders(stream.headers, 'event stream');
  });

  it('the web app’s page has no inline script for the CSP to block', () => {
    const html = readFileSync(join(PROJECT_ROOT, 'web/index.html'), 'utf8');
    const inline = [...html.matchAll(/<script\b([^>]*)>/g)].filter((m) => !/\bsrc=/.test(m[1] ?? ''));
    expect(inline.map((m) => m[0])).toEqual([]);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});

describe('perflab serve refuses to run learner code unisolated', () => {
  it('refuses the process backend unless --allow-unisolated, saying how to install bubblewrap', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perflab-serve-test-'));
    try {
      const refused = startServer({
        port: 0,
        host: '127.0.0.1',
        dataDir: dir,
        backend: 'process',
        logLevel: 'silent',
      });
      await expect(refused).rejects.toThrow(
        /unisolated[\s\S]*apt-get install bubblewrap[\s\S]*--allow-unisolated/,
      );
      await expect(refused).rejects.toBeInstanceOf(SandboxUnavailableError);
      const allowed = await startServer({
        port: 0,
        host: '127.0.0.1',
        dataDir: dir,
        backend: 'process',
        logLevel: 'silent',
        allowUnisolated: true,
      });
      const health = await allowed.app.inject({
        url: '/api/health',
        headers: { host: new URL(allowed.url).host },
      });
      expect(health.json<{ isolated: boolean }>().isolated).toBe(false);
      await allowed.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('knows which addresses only this machine reaches', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]'])
      expect(isLoopbackAddress(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'perflab.example.org'])
      expect(isLoopbackAddress(host), host).toBe(false);
  });
});
