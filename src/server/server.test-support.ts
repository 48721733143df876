/**
 * What the server's API tests share: one app per test file over the real course, a real SQLite
 * store, real Python in the real sandbox and the real queue (driven through Fastify's inject),
 * and the exercise files the tests send. `app`, `jobs`, `store` and `dataDir` are set by
 * `useTestApp()`'s beforeAll (live bindings: read them inside tests).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { loadCourse } from '../course/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import type { Sandbox } from '../sandbox/types.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { availableSandboxes, runtime } from '../test-support/sandboxes.js';
import { buildApp, type AppOptions } from './app.js';
import type { JobManager } from './jobs.js';

export const course = await loadCourse(join(PROJECT_ROOT, 'course'));
const sandbox = (availableSandboxes()[0] as { make: () => Sandbox }).make();
export const queue = createMemoryQueue({ concurrency: 2 });
export const runner = new Runner(sandbox, queue);

export let app: FastifyInstance;
export let jobs: JobManager;
export let store: Store;
export let dataDir: string;

/** Builds this test file's app (with `options`, e.g. a clock) before its tests and closes everything after them. */
export function useTestApp(options: Partial<AppOptions> = {}): void {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'perflab-server-test-'));
    store = await openSqliteStore({ file: join(dataDir, 'perflab.sqlite') });
    ({ app, jobs } = await buildApp({ course, store, runner, runtime, ...options }));
  });

  afterAll(async () => {
    await jobs.close(0);
    await app.close();
    await queue.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });
}

/** What the web app sends with a change that has no body (see boundary.ts). */
export const CHANGE = { 'x-perflab': '1' };

export const WORDS_SLOW = readFileSync(
  join(PROJECT_ROOT, 'course/exercises/word-frequency/starter/words.py'),
  'utf8',
);
export const WORDS_FIXED = readFileSync(
  join(PROJECT_ROOT, 'course/exercises/word-frequency/solution/words.py'),
  'utf8',
);

export function editablePath(id: string): string {
  return course.exercises.find((e) => e.meta.id === id)?.meta.edit[0] as string;
}
