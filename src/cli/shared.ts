import { readFile } from 'node:fs/promises';
import { RuntimeMissingError } from '../pyenv/runtime.js';
import { openSession, type PerflabSession } from '../runner/session.js';
import type { AnyJobReport } from '../runner/runner.js';
import { LimitError, resolveLimits, type ResourceLimits } from '../sandbox/limits.js';
import { SandboxUnavailableError, type BackendChoice } from '../sandbox/select.js';
import type { StdinSpec } from '../sandbox/types.js';
import { diagnoseHang } from '../core/hang.js';
import { EXIT, UsageError } from './errors.js';
import { EnvironmentError } from './environment-error.js';
import { exitAfterOutput } from './exit.js';
import { colour, formatKb, formatMs } from './format.js';

export interface CommonOptions {
  json?: boolean;
  sandbox?: BackendChoice;
  timeout?: string;
}

export function parseNumberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new UsageError(`${name} must be a positive number, not "${value}"`);
  return parsed;
}

export function parseIntegerOption(name: string, value: string | undefined, min = 1): number | undefined {
  const parsed = parseNumberOption(name, value);
  if (parsed === undefined) return undefined;
  if (!Number.isInteger(parsed) || parsed < min)
    throw new UsageError(`${name} must be a whole number ≥ ${min}, not "${value}"`);
  return parsed;
}

export function limitsFromOptions(
  options: { timeout?: string; memory?: string; memoryFlag?: string },
  overrides: Partial<ResourceLimits> = {},
): Partial<ResourceLimits> {
  const requested: Partial<ResourceLimits> = { ...overrides };
  const wallS = parseNumberOption('--timeout', options.timeout);
  const memoryMb = parseIntegerOption(options.memoryFlag ?? '--memory', options.memory, 32);
  if (wallS !== undefined) requested.wallS = wallS;
  if (memoryMb !== undefined) requested.memoryMb = memoryMb;
  try {
    resolveLimits(requested);
  } catch (error) {
    if (error instanceof LimitError) {
      throw new UsageError(
        error.message
          .replace('wallS', '--timeout (seconds)')
          .replace('memoryMb', `${options.memoryFlag ?? '--memory'} (MB)`),
      );
    }
    throw error;
  }
  return requested;
}

export async function stdinFromOption(value: string | undefined): Promise<StdinSpec> {
  if (value === undefined || value === 'closed') return { mode: 'closed' };
  if (value === 'terminal') return { mode: 'terminal' };
  try {
    return { mode: 'text', text: await readFile(value, 'utf8') };
  } catch {
    throw new UsageError(
      `--stdin takes closed, terminal, or the path of a file to feed; cannot read "${value}"`,
    );
  }
}

/** Opens a session, runs `body`, and always closes the queue (nothing is left running). */
export async function withSession<T>(
  options: CommonOptions,
  body: (session: PerflabSession) => Promise<T>,
  sessionOptions: { warmPool?: boolean } = {},
): Promise<T> {
  let session: PerflabSession;
  try {
    session = openSession({ backend: options.sandbox ?? undefined, warmPool: sessionOptions.warmPool });
  } catch (error) {
    if (error instanceof RuntimeMissingError || error instanceof SandboxUnavailableError) {
      throw new EnvironmentError(error.message);
    }
    throw error;
  }
  const onSignal = () => {
    void session.close().then(() => exitAfterOutput(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!session.sandbox.isolated && !options.json) {
      process.stderr.write(
        colour.yellow(
          `warning: sandbox backend "${session.sandbox.name}": bubblewrap cannot run here, so this code is NOT isolated from your machine (see \`perflab doctor\`)\n`,
        ),
      );
    }
    return await body(session);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
  }
}

export function exitCodeFor(report: AnyJobReport): number {
  return report.status === 'ok' ? EXIT.ok : EXIT.programFailed;
}

/** The closing line(s) of a run: status, measurements, and the diagnosis of a hang. */
export function renderSummary(report: AnyJobReport): string {
  const { outcome } = report;
  const facts = [
    `wall ${formatMs(outcome.wallMs)}`,
    `CPU ${formatMs(outcome.cpuMs)}`,
    `peak memory ${formatKb(report.peakMemoryKb)}`,
    `${report.document?.cpusAvailable ?? outcome.cpusAvailable} CPUs`,
    report.queueWaitMs >= 1 ? `queued ${formatMs(report.queueWaitMs)}` : null,
    `sandbox ${outcome.backend}`,
  ].filter(Boolean);
  const head =
    report.status === 'ok'
      ? colour.green(
          `✓ ${report.exitCode === 0 || report.exitCode === null ? 'exited 0' : `exited ${report.exitCode}`}`,
        )
      : colour.red(`✗ ${report.message}`);
  const lines = [`${head} ${colour.dim('· ' + facts.join(' · '))}`];
  if (report.status === 'ok' && report.document === null) lines.push(colour.yellow(`  ${report.message}`));
  if (outcome.outputTruncated)
    lines.push(colour.yellow(`  output truncated at ${report.limits.outputKb} KB`));
  const hang =
    report.hang ?? (report.limitHit === 'timeout' ? diagnoseHang(outcome.stacks, outcome.processes) : null);
  if (hang && hang.lines.length > 0) {
    lines.push(colour.bold('  Where it was stuck:'));
    for (const line of hang.lines) lines.push(`    ${line}`);
  }
  if (
    report.status === 'setup-error' ||
    (report.document === null &&
      report.documentError &&
      report.status !== 'ok' &&
      report.limitHit === null &&
      !report.outcome.cancelled &&
      report.exitCode === null)
  ) {
    if (report.documentError) lines.push(colour.dim(`  (${report.documentError})`));
  }
  return lines.join('\n');
}
