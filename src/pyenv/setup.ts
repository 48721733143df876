/**
 * Creates the project's `.venv` and installs python/requirements.txt. Idempotent: a stamp
 * records the requirements' hash and the interpreter, so a second run with nothing changed
 * only reads two small files.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPython } from './find-python.js';
import { PYTHON_DIR, REQUIREMENTS_FILE, STAMP_FILE, VENV_DIR } from './paths.js';
import { readStamp, type VenvStamp } from './runtime.js';

export type SetupResult =
  | { status: 'up-to-date'; stamp: VenvStamp }
  | { status: 'created'; stamp: VenvStamp }
  | { status: 'no-python'; message: string }
  | { status: 'packages-failed'; stamp: VenvStamp; message: string };

function requirementsHash(): string {
  return createHash('sha256').update(readFileSync(REQUIREMENTS_FILE)).digest('hex');
}

/**
 * The sandbox runs with PYTHONDONTWRITEBYTECODE and a read-only harness folder, so without
 * this every run would recompile the harness (~15 ms). compileall skips up-to-date files.
 */
export function compileHarness(): void {
  spawnSync(join(VENV_DIR, 'bin', 'python'), ['-m', 'compileall', '-q', PYTHON_DIR], { stdio: 'ignore' });
}

export function ensurePythonEnvironment(log: (line: string) => void): SetupResult {
  const result = ensureVenv(log);
  if (result.status !== 'no-python') compileHarness();
  return result;
}

function ensureVenv(log: (line: string) => void): SetupResult {
  const wantedHash = requirementsHash();
  const existing = readStamp();
  if (
    existing &&
    existing.packagesInstalled &&
    existing.requirementsSha256 === wantedHash &&
    existsSync(join(VENV_DIR, 'bin', 'python')) &&
    existsSync(existing.baseExecutable)
  ) {
    return { status: 'up-to-date', stamp: existing };
  }

  const { found, tried } = findPython();
  if (!found) {
    return {
      status: 'no-python',
      message:
        'Python 3.10 or newer is needed on PATH to run learner code, and none was found ' +
        `(${tried.join('; ')}). Install it (Debian/Ubuntu: \`sudo apt-get install python3 python3-venv\`; ` +
        'macOS: `brew install python`), or point PERFLAB_PYTHON at an interpreter, then run `npm install` again. ' +
        'Until then perflab commands that run Python will say so and stop.',
    };
  }

  if (existing && existing.baseExecutable !== found.executable && existsSync(VENV_DIR)) {
    rmSync(VENV_DIR, { recursive: true, force: true });
  }
  if (!existsSync(join(VENV_DIR, 'bin', 'python'))) {
    log(`perflab: creating .venv with ${found.executable} (Python ${found.version})`);
    const venv = spawnSync(found.executable, ['-m', 'venv', VENV_DIR], { encoding: 'utf8' });
    if (venv.status !== 0) {
      return {
        status: 'no-python',
        message:
          `Python ${found.version} at ${found.executable} could not create a virtual environment:\n` +
          `${venv.stderr.trim()}\nOn Debian/Ubuntu install the venv module (\`sudo apt-get install python3-venv\`) ` +
          'and run `npm install` again.',
      };
    }
  }

  log('perflab: installing pinned Python packages from python/requirements.txt (this takes a minute once)');
  const pip = spawnSync(
    join(VENV_DIR, 'bin', 'python'),
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-q', '-r', REQUIREMENTS_FILE],
    { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] },
  );
  const stamp: VenvStamp = {
    schema: 'perflab.venv-stamp/1',
    requirementsSha256: wantedHash,
    baseExecutable: found.executable,
    basePrefix: found.basePrefix,
    version: found.version,
    packagesInstalled: pip.status === 0,
  };
  writeFileSync(STAMP_FILE, JSON.stringify(stamp, null, 2));
  if (pip.status !== 0) {
    return {
      status: 'packages-failed',
      stamp,
      message:
        'perflab created .venv but could not install its Python packages (is the package index reachable?). ' +
        'Running, timing and the cProfile and tracemalloc views work with the standard library alone; ' +
        'line-level profiling (line_profiler), NumPy lessons and pytest-based exercises need the packages. ' +
        `Run \`npm install\` again when online; \`npx perflab doctor\` lists what is missing.\n${pip.stderr.trim().split('\n').slice(-3).join('\n')}`,
    };
  }
  return { status: 'created', stamp };
}

export { STAMP_FILE };
