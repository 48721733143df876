import { resolve } from 'node:path';
import { RuntimeMissingError } from '../../pyenv/runtime.js';
import { SandboxUnavailableError, type BackendChoice } from '../../sandbox/select.js';
import { CourseInvalidError, startServer } from '../../server/serve.js';
import { EnvironmentError } from '../environment-error.js';
import { UsageError } from '../errors.js';
import { colour } from '../format.js';

export interface ServeCommandOptions {
  port: string;
  host: string;
  dataDir: string;
  course?: string;
  sandbox?: BackendChoice;
  grace: string;
  logLevel: string;
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

  let server;
  try {
    server = await startServer({
      port,
      host: options.host,
      dataDir: resolve(options.dataDir),
      courseDir: options.course ? resolve(options.course) : undefined,
      backend: options.sandbox,
      graceS,
      logLevel,
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
  const health = (await server.app.inject({ url: '/api/health' })).json<{
    isolated: boolean;
    sandbox: string;
  }>();
  process.stderr.write(
    `\n  ${colour.bold('perflab')} is serving the course at ${colour.cyan(server.url)}\n` +
      `  data: ${resolve(options.dataDir)}   sandbox: ${health.sandbox}${health.isolated ? '' : colour.yellow(' (NOT isolated)')}\n` +
      `  Ctrl+C stops it (running jobs get ${graceS} s to finish).\n\n`,
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
