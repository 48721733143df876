/** Facts about the Python side for `perflab doctor`: interpreter, venv, packages. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPython } from './find-python.js';
import { REQUIREMENTS_FILE, VENV_DIR } from './paths.js';
import { readStamp } from './runtime.js';

export interface PackageStatus {
  name: string;
  wanted: string;
  installed: string | null;
}

export interface PythonDoctorReport {
  interpreter: { command: string; executable: string; version: string } | null;
  interpreterProblems: string[];
  venv: { path: string; exists: boolean; python: string | null };
  packages: PackageStatus[];
  /** py-spy, which samples runs from the host (`--sample`): its version, or why it cannot. */
  sampler: { pySpy: string | null; problem: string | null };
}

/**
 * Whether the host can run py-spy against a run. As root it has CAP_SYS_PTRACE; otherwise it
 * reads a bubblewrap run as the owner of its user namespace, which Yama's ptrace_scope 3 (no
 * attaching at all) forbids; scope 1 still allows it (the owner is capable in that namespace).
 */
export function samplerDoctor(pySpy = join(VENV_DIR, 'bin', 'py-spy')): PythonDoctorReport['sampler'] {
  const probe = spawnSync(pySpy, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = /py-spy (\S+)/.exec(probe.stdout ?? '')?.[1] ?? null;
  if (!version) return { pySpy: null, problem: `py-spy does not run at ${pySpy} (run \`npm install\`)` };
  const scope = (() => {
    try {
      return Number(readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'utf8').trim());
    } catch {
      return 0; // No Yama: plain ptrace rules.
    }
  })();
  const root = process.getuid?.() === 0;
  if (!root && scope >= 3) {
    return {
      pySpy: version,
      problem: `kernel.yama.ptrace_scope is ${scope}: no process may read another's memory`,
    };
  }
  if (!root && scope === 2) {
    return { pySpy: version, problem: 'kernel.yama.ptrace_scope is 2: only root may sample runs' };
  }
  return { pySpy: version, problem: null };
}

export function requiredPackages(): { name: string; wanted: string }[] {
  return readFileSync(REQUIREMENTS_FILE, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => {
      const [name = line, wanted = ''] = line.split('==');
      return { name: name.trim(), wanted: wanted.trim() };
    });
}

export function pythonDoctor(): PythonDoctorReport {
  const { found, tried } = findPython();
  const venvPython = join(VENV_DIR, 'bin', 'python');
  const venvExists = existsSync(venvPython);
  const wanted = requiredPackages();
  let installed: Record<string, string | null> = {};
  if (venvExists) {
    const script =
      'import json, sys, importlib.metadata as m\n' +
      'out = {}\n' +
      'for name in sys.argv[1:]:\n' +
      '    try: out[name] = m.version(name)\n' +
      '    except m.PackageNotFoundError: out[name] = None\n' +
      'print(json.dumps(out))';
    const probe = spawnSync(venvPython, ['-c', script, ...wanted.map((p) => p.name)], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    try {
      installed = JSON.parse(probe.stdout) as Record<string, string | null>;
    } catch {
      installed = {};
    }
  }
  return {
    interpreter: found
      ? { command: found.command, executable: found.executable, version: found.version }
      : null,
    interpreterProblems: found ? [] : tried,
    venv: { path: VENV_DIR, exists: venvExists, python: readStamp()?.version ?? null },
    packages: wanted.map((p) => ({ ...p, installed: installed[p.name] ?? null })),
    sampler: samplerDoctor(),
  };
}
