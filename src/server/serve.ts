/**
 * `perflab serve`: loads the course, opens the store and a warm sandbox session, listens, and
 * shuts down gracefully on SIGINT/SIGTERM — new jobs are refused, running ones get a grace
 * period to finish and are then cancelled (their sandboxes killed), and everything is stored.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadCourse } from '../course/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { openSession, type PerflabSession } from '../runner/session.js';
import type { BackendChoice } from '../sandbox/select.js';
import { withProgressCache } from '../store/progress-cache.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { buildApp } from './app.js';
import type { JobManager } from './jobs.js';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  courseDir?: string;
  backend?: BackendChoice;
  /** Seconds running jobs get to finish at shutdown before they are cancelled. */
  graceS?: number;
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Pretty one-line logs for a terminal; JSON lines otherwise. */
  prettyLogs?: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  jobs: JobManager;
  close(): Promise<void>;
}

export class CourseInvalidError extends Error {
  override name = 'CourseInvalidError';
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const courseDir = options.courseDir ?? join(PROJECT_ROOT, 'course');
  const course = await loadCourse(courseDir);
  if (course.problems.length > 0)
    throw new CourseInvalidError(
      `the course in ${courseDir} has problems:\n  ${course.problems.slice(0, 20).join('\n  ')}`,
    );
  let store: Store | null = null;
  let session: PerflabSession | null = null;
  try {
    const openedStore = withProgressCache(
      await openSqliteStore({ file: join(options.dataDir, 'perflab.sqlite') }),
    );
    store = openedStore;
    const interrupted = await openedStore.markUnfinishedInterrupted(Date.now());
    const openedSession = openSession({ backend: options.backend, warmPool: true });
    session = openedSession;
    const { app, jobs } = await buildApp({
      course,
      store: openedStore,
      runner: openedSession.runner,
      runtime: openedSession.runtime,
      webDir: join(PROJECT_ROOT, 'dist', 'web'),
      logger: {
        level: options.logLevel ?? 'info',
        // Request bodies carry learner code; logs keep method, URL, status and timing only.
        redact: ['req.headers.cookie', 'req.headers.authorization'],
      },
    });
    if (interrupted > 0)
      app.log.warn({ interrupted }, 'jobs left unfinished by the previous server were marked interrupted');
    await app.listen({ port: options.port, host: options.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
    let closing: Promise<void> | null = null;
    return {
      app,
      url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
      jobs,
      close: () =>
        (closing ??= (async () => {
          // Stop taking connections first, but let open SSE streams see their jobs end.
          const listening = app.close();
          await jobs.close((options.graceS ?? 10) * 1000);
          await listening;
          await openedSession.close();
          await openedStore.close();
        })()),
    };
  } catch (error) {
    await session?.close();
    await store?.close();
    throw error;
  }
}
