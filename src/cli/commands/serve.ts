import { resolve } from 'node:path';
import { RuntimeMissingError } from '../../pyenv/runtime.js';
import { SandboxUnavailableError, type BackendChoice } from '../../sandbox/select.js';
import { isLoopbackAddress, parsePublicUrl, PublicUrlError } from '../../server/boundary.js';
import { CourseInvalidError, startServer } from '../../server/serve.js';
import { EnvironmentError } from '../environment-error.js';
import { UsageError } from '../errors.js';
import { colour } from '../format.js';
import { withLearnerStore } from '../workflow/learner-store.js';

export interface ServeCommandOptions {
  port: string;
  host: string;
  /** Shared with the learner commands (default $PERFLAB_DATA_DIR, else $PERFLAB_HOME/data). */
  dataDir: string;
  course?: string;
  sandbox?: BackendChoice;
  grace: string;
  logLevel: string;
  /** Origins served besides loopback (repeatable flag); PERFLAB_PUBLIC_URL adds one. */
  publicUrl?: string[];
  allowUnisolated?: boolean;
}

/** Limits from the environment (see src/server/README.md); unset ones keep their defaults. */
const LIMIT_VARIABLES = {
  maxPendingJobs: 'PERFLAB_MAX_JOBS',
  maxPendingJobsPerLearner: 'PERFLAB_MAX_JOBS_PER_LEARNER',
  maxEventStreams: 'PERFLAB_MAX_STREAMS',
  maxEventStreamsPerLearner: 'PERFLAB_MAX_STREAMS_PER_LEARNER',
} as const;

function limitsFromEnvironment(): Partial<Record<keyof typeof LIMIT_VARIABLES, number>> {
  const limits: Partial<Record<keyof typeof LIMIT_VARIABLES, number>> = {};
  for (const [key, name] of Object.entries(LIMIT_VARIABLES) as [keyof typeof LIMIT_VARIABLES, string][]) {
    const raw = process.env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1)
      throw new UsageError(`${name} must be a whole number ≥ 1, not "${raw}"`);
    limits[key] = value;
  }
  return limits;
}

/** The loud warning for an address other machines can reach (hosted use needs accounts first). */
export function exposedWarning(host: string): string | null {
  if (isLoopbackAddress(host)) return null;
  return (
    `\n  WARNING: perflab is listening on ${host}, which other machines can reach.\n` +
    '  perflab has no accounts yet: everyone who can open it shares one learner, its progress and\n' +
    '  its saved code, and can run code in its sandbox. Use it only on a network you trust.\n' +
    '  Pages are served only under the loopback names unless you add the address people use\n' +
    '  with --public-url (or PERFLAB_PUBLIC_URL).\n'
  );
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

/** Serves the web app until SIGINT/SIGTERM, then shuts down gracefully. Resolves with the exit code. */
export async function serveCommand(options: ServeCommandOptions): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number (0–65535; 0 picks a free one), not "${options.port}"`);
  const graceS = Number(options.grace);
  if (!Number.isFinite(graceS) || graceS < 0)
    throw new UsageError(`--grace must be seconds ≥ 0, not "${options.grace}"`);
  const logLevel = options.logLevel as (typeof LOG_LEVELS)[number];
  if (!LOG_LEVELS.includes(logLevel))
    throw new UsageError(`--log-level takes ${LOG_LEVELS.join(', ')}, not "${options.logLevel}"`);

  const publicUrls = [...(options.publicUrl ?? [])];
  if (process.env.PERFLAB_PUBLIC_URL) publicUrls.push(process.env.PERFLAB_PUBLIC_URL);
  try {
    for (const url of publicUrls) parsePublicUrl(url);
  } catch (error) {
    if (error instanceof PublicUrlError) throw new UsageError(error.message);
    throw error;
  }
  const limits = limitsFromEnvironment();
  const dataDir = resolve(options.dataDir);
  // The terminal's old progress file joins the per-user store before a page asks for progress.
  await withLearnerStore({ dataDir }, async () => undefined);

  let server;
  try {
    server = await startServer({
      port,
      host: options.host,
      dataDir,
      courseDir: options.course ? resolve(options.course) : undefined,
      backend: options.sandbox,
      graceS,
      logLevel,
      publicUrls,
      allowUnisolated: options.allowUnisolated ?? false,
      limits,
    });
  } catch (error) {
    if (error instanceof RuntimeMissingError || error instanceof SandboxUnavailableError)
      throw new EnvironmentError(error.message);
    if (error instanceof CourseInvalidError) throw new UsageError(error.message);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UsageError(
        `port ${port} on ${options.host} is already in use; pick another with --port (0 picks a free one)`,
      );
    throw error;
  }
  // Under a Host the server serves (loopback, its port): inject sends "localhost:80" by default.
  const health = (
    await server.app.inject({
      url: '/api/health',
      headers: { host: `localhost:${new URL(server.url).port}` },
    })
  ).json<{
    isolated: boolean;
    sandbox: string;
  }>();
  process.stderr.write(
    `\n  ${colour.bold('perflab')} is serving the course at ${colour.cyan(server.url)}\n` +
      `  data: ${dataDir}   sandbox: ${health.sandbox}${health.isolated ? '' : colour.yellow(' (NOT isolated)')}\n` +
      (publicUrls.length > 0 ? `  also served as: ${publicUrls.join(', ')}\n` : '') +
      `  Ctrl+C stops it (running jobs get ${graceS} s to finish).\n\n`,
  );
  const warning = exposedWarning(options.host);
  if (warning) process.stderr.write(colour.yellow(colour.bold(warning)) + '\n');
  if (!health.isolated)
    process.stderr.write(
      colour.yellow(
        colour.bold(
          '  WARNING: --allow-unisolated: learner code runs as you, with your files. Anything that can\n' +
            '  reach this server can run code on this machine.\n\n',
        ),
      ),
    );
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        process.stderr.write('second signal: exiting now\n');
        process.exit(130);
      }
      stopping = true;
      process.stderr.write(`\n${signal}: stopping (running jobs: ${server.jobs.runningCount()})…\n`);
      server.close().then(
        () => resolveExit(0),
        (error: unknown) => {
          process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
          resolveExit(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
