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
  };
}
