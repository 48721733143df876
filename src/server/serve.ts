/**
 * `perflab serve`: loads the course, opens the store and a warm sandbox session, listens, and
 * shuts down gracefully on SIGINT/SIGTERM — new jobs are refused, running ones get a grace
 * period to finish and are then cancelled (their sandboxes killed), and everything is stored.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadCourse } from '../course/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { openSession, type PerflabSession } from '../runner/session.js';
import { bwrapWorks } from '../sandbox/bwrap.js';
import { SandboxUnavailableError, type BackendChoice } from '../sandbox/select.js';
import { withProgressCache } from '../store/progress-cache.js';
import { databaseFile, openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { buildApp } from './app.js';
import type { ServerLimits } from './context.js';
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
  /** Origins served besides the loopback names on the bound port (`--public-url`). */
  publicUrls?: readonly string[];
  /**
   * Serve even when learner code would run unisolated (the process backend): any page that
   * reaches the server could then run code as this user. Off by default.
   */
  allowUnisolated?: boolean;
  limits?: Partial<ServerLimits>;
  /** The drill routes' clock, ms since the epoch (default Date.now; browser tests move it). */
  now?: () => number;
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

/** `serve` would run learner code unisolated and was not told that is acceptable. */
export class UnisolatedRefusedError extends SandboxUnavailableError {
  override name = 'UnisolatedRefusedError';
}

function unisolatedMessage(backend: BackendChoice | undefined): string {
  const why =
    backend === 'process' || process.env.PERFLAB_SANDBOX === 'process'
      ? 'the process backend was asked for (--sandbox process or PERFLAB_SANDBOX=process)'
      : `bubblewrap cannot run here (${bwrapWorks().reason})`;
  return (
    `perflab serve will not run learner code unisolated: ${why}, so code sent to the server would run as you, with your files.\n` +
    '  Install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap;\n' +
    '  Arch: sudo pacman -S bubblewrap) and check with `npx perflab doctor`.\n' +
    '  Only on a machine where that is acceptable, start it with --allow-unisolated.'
  );
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  // Refused before anything else is loaded or started (the check after openSession below
  // stays as the safety net): the process backend, asked for or the only one that works here.
  if (!options.allowUnisolated) {
    const choice = options.backend ?? (process.env.PERFLAB_SANDBOX || 'auto');
    if (choice === 'process' || (choice === 'auto' && !bwrapWorks().ok))
      throw new UnisolatedRefusedError(unisolatedMessage(options.backend));
  }
  const courseDir = options.courseDir ?? join(PROJECT_ROOT, 'course');
  const course = await loadCourse(courseDir);
  if (course.problems.length > 0)
    throw new CourseInvalidError(
      `the course in ${courseDir} has problems:\n  ${course.problems.slice(0, 20).join('\n  ')}`,
    );
  let store: Store | null = null;
  let session: PerflabSession | null = null;
  try {
    const openedStore = withProgressCache(await openSqliteStore({ file: databaseFile(options.dataDir) }));
    store = openedStore;
    const interrupted = await openedStore.markUnfinishedInterrupted(Date.now());
    const openedSession = openSession({ backend: options.backend, warmPool: true });
    session = openedSession;
    if (!openedSession.runner.sandbox.isolated && !options.allowUnisolated)
      throw new UnisolatedRefusedError(unisolatedMessage(options.backend));
    // Queued jobs' files wait here; anything left belongs to jobs marked interrupted above.
    const spoolDir = join(options.dataDir, 'queued');
    await rm(spoolDir, { recursive: true, force: true });
    await mkdir(spoolDir, { recursive: true, mode: 0o700 });
    const { app, jobs } = await buildApp({
      course,
      store: openedStore,
      runner: openedSession.runner,
      runtime: openedSession.runtime,
      webDir: join(PROJECT_ROOT, 'dist', 'web'),
      publicUrls: options.publicUrls,
      limits: options.limits,
      now: options.now,
      spoolDir,
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
