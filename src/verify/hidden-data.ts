/**
 * Hidden inputs of program-level checks: data generated on the host per verification, from a
 * seed learner code cannot predict, by the exercise's own generator (trusted author code in
 * tests/, run outside the sandbox), and the trees a check runs (learner's, reference's).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AuthoredCheck, Exercise } from '../core/exercise.js';
import type { PythonRuntime } from '../core/runtime.js';
import type { JobFile } from '../sandbox/types.js';

/** What hidden data needs of the verification. */
export interface HiddenDataOptions {
  runtime: PythonRuntime;
  /** The verification's seed: hidden inputs are derived from it. */
  seed?: number;
}

/** A hidden input: the file the program reads, generated for this verification only. */
export interface Dataset {
  seed: number;
  file: JobFile | null;
  /** The check's args with `{path}` replaced by the data file's name. */
  argv: string[];
}

/** The check's `{path}` placeholders filled in with the name of the hidden data file. */
function fillArgs(args: string[], dataFile: string): string[] {
  return args.map((arg) => arg.replaceAll('{path}', dataFile));
}

/** The learner's files with `data` added, replacing a starter file of the same name. */
export function withData(files: JobFile[], data: JobFile | null): JobFile[] {
  return data ? files.filter((f) => f.path !== data.path).concat(data) : files;
}

/** The same tree with the reference solution's versions of the editable files. */
export function referenceFiles(exercise: Exercise, files: JobFile[]): JobFile[] {
  return files.map((f) =>
    exercise.meta.edit.includes(f.path) && exercise.solution[f.path] !== undefined
      ? { path: f.path, content: exercise.solution[f.path] as string }
      : f,
  );
}

/**
 * Seeds of one check's hidden data: from the verification's seed (fixed by --seed, else fresh
 * per verification) and the check's id, so two checks never share an input.
 */
export function seedsFor(check: AuthoredCheck, options: HiddenDataOptions, count: number): number[] {
  const base = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  let salt = 0;
  for (const ch of check.id) salt = (salt * 31 + ch.charCodeAt(0)) % 1_000_003;
  return Array.from({ length: count }, (_, i) => (base + salt * 7919 + i * 104_729) % 2 ** 31);
}

const execFileAsync = promisify(execFile);

/**
 * Runs the exercise's data generator (trusted author code from tests/, on the host, outside
 * the sandbox) and returns the file it wrote, named `name`. The generator gets a
 * `random.Random` seeded with `seed`, and for memory-streaming the scale: `f(path, rng)` or
 * `f(path, scale, rng)`.
 */
export async function generateData(
  exercise: Exercise,
  spec: string,
  name: string,
  seed: number,
  runtime: PythonRuntime,
  scale?: number,
): Promise<JobFile> {
  const [file, fn] = spec.split(':') as [string, string];
  const dir = await mkdtemp(join(tmpdir(), 'perflab-data-'));
  try {
    const out = join(dir, 'data');
    const script = [
      'import random, runpy, sys',
      'ns = runpy.run_path(sys.argv[1])',
      'rng = random.Random(int(sys.argv[4]))',
      'if sys.argv[5] == "-":',
      '    ns[sys.argv[2]](sys.argv[3], rng)',
      'else:',
      '    ns[sys.argv[2]](sys.argv[3], float(sys.argv[5]), rng)',
    ].join('\n');
    const generator = join(exercise.dir, file);
    try {
      await execFileAsync(join(runtime.venvDir, 'bin', 'python'), [
        '-c',
        script,
        generator,
        fn,
        out,
        String(seed),
        scale === undefined ? '-' : String(scale),
      ]);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(`data generator ${spec} failed: ${stderr}`, { cause: error });
    }
    return { path: name, content: await readFile(out) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function datasetsFor(
  check: AuthoredCheck & { data?: string; dataFile: string; datasets: number; args: string[] },
  exercise: Exercise,
  options: HiddenDataOptions,
): Promise<Dataset[]> {
  const argv = fillArgs(check.args, check.dataFile);
  const spec = check.data;
  if (spec === undefined) return [{ seed: 0, file: null, argv }];
  return Promise.all(
    seedsFor(check, options, check.datasets).map(async (seed) => ({
      seed,
      file: await generateData(exercise, spec, check.dataFile, seed, options.runtime),
      argv,
    })),
  );
}
