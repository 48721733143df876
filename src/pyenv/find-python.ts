import { spawnSync } from 'node:child_process';

export const MIN_PYTHON: readonly [number, number] = [3, 10];

export interface FoundPython {
  command: string;
  executable: string;
  version: string;
  basePrefix: string;
}

const PROBE =
  'import sys, json; print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3], "basePrefix": sys.base_prefix}))';

export function probePython(command: string): FoundPython | null {
  const result = spawnSync(command, ['-c', PROBE], { encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0 || !result.stdout) return null;
  try {
    const info = JSON.parse(result.stdout) as Omit<FoundPython, 'command'>;
    return { command, ...info };
  } catch {
    return null;
  }
}

export function versionAtLeast(version: string, minimum: readonly [number, number]): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
}

/** The first Python ≥ 3.10 among $PERFLAB_PYTHON, python3, python3.X and python. */
export function findPython(): { found: FoundPython | null; tried: string[] } {
  const candidates = [
    process.env.PERFLAB_PYTHON,
    'python3',
    'python3.13',
    'python3.12',
    'python3.11',
    'python3.10',
    'python',
  ].filter((c): c is string => Boolean(c));
  const tried: string[] = [];
  for (const command of candidates) {
    const found = probePython(command);
    if (found === null) {
      tried.push(`${command}: not found`);
      continue;
    }
    if (!versionAtLeast(found.version, MIN_PYTHON)) {
      tried.push(`${command}: Python ${found.version} is too old`);
      continue;
    }
    return { found, tried };
  }
  return { found: null, tried };
}
