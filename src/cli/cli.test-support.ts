/**
 * What the tests of the built `perflab` command share: the bundle to spawn (npm test builds
 * dist/ first), private temporary folders removed after the file's tests, and one way to run a
 * command and read its exit status and output.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import type { Progress } from '../core/api.js';
import { databaseFile, LOCAL_LEARNER_ID, openSqliteStore, type Store } from '../store/index.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'perflab.js');

/** A fresh folder under the system temp dir, removed after this test file's tests. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files into `dir`; each call returns the path it wrote. */
export function fileWriter(dir: string): (name: string, content: string | Buffer) => string {
  return (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
}

export interface PerflabRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A PERFLAB_HOME of the tests' own, so no test reads or writes the real ~/.perflab. */
const testHome = scratchDir('perflab-test-home');

export interface PerflabOptions {
  cwd?: string;
  /** Added to this process's environment; PERFLAB_HOME is the tests' own unless given here. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** The whole of the command's stdin (then end of input); default: none, stdin left open. */
  input?: string;
}

/** NO_COLOR keeps the output plain text. */
function spawnOptions(options: PerflabOptions) {
  return {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8' as const,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', PERFLAB_HOME: testHome, ...options.env },
  };
}

/** Runs the built command to the end, blocking this process. */
export function spawnPerflab(args: string[], options: PerflabOptions = {}): PerflabRun {
  const result = spawnSync(process.execPath, [BIN, ...args], spawnOptions(options));
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the built command while this process goes on (a server in it keeps serving). */
export function runPerflab(args: string[], options: PerflabOptions = {}): Promise<PerflabRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      spawnOptions(options),
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Opens the store of a data dir as `perflab serve` would, for what a test reads from it. */
export async function withDataDirStore<T>(dataDir: string, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await openSqliteStore({ file: databaseFile(dataDir) });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** The local learner's progress in a data dir: what the browser shows. */
export function learnerProgress(dataDir: string): Promise<Progress> {
  return withDataDirStore(dataDir, (store) => store.getProgress(LOCAL_LEARNER_ID));
}
