/**
 * Reads an exercise folder and validates it, reporting every problem as FILE:LINE: message.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { lineOf } from './yaml-errors.js';
import { exerciseMetaSchema, splitHints, type Exercise, type FileTree } from '../core/exercise.js';

export class ExerciseError extends Error {
  override name = 'ExerciseError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

async function readTree(root: string): Promise<{ text: FileTree; binary: Record<string, Uint8Array> }> {
  const text: FileTree = {};
  const binary: Record<string, Uint8Array> = {};
  if (!existsSync(root)) return { text, binary };
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === '__pycache__' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const bytes = await readFile(full);
        const path = relative(root, full);
        try {
          text[path] = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          binary[path] = bytes;
        }
      }
    }
  };
  await walk(root);
  return { text, binary };
}

export async function loadExercise(dir: string): Promise<Exercise> {
  const problems: string[] = [];
  const metaPath = join(dir, 'meta.yaml');
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new ExerciseError([`${dir}: not an exercise folder (no such directory)`]);
  if (!existsSync(metaPath))
    throw new ExerciseError([`${metaPath}:1: missing (every exercise needs a meta.yaml)`]);
  const source = await readFile(metaPath, 'utf8');
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: false });
  for (const error of doc.errors) {
    problems.push(
      `${metaPath}:${counter.linePos(error.pos[0]).line}: YAML syntax: ${error.message.split('\n')[0]}`,
    );
  }
  if (problems.length > 0) throw new ExerciseError(problems);
  const parsed = exerciseMetaSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const where = path.length > 0 ? `${path.join('.')}: ` : '';
      problems.push(`${metaPath}:${lineOf(doc, counter, path)}: ${where}${issue.message}`);
    }
    throw new ExerciseError(problems);
  }
  const meta = parsed.data;
  const line = (path: (string | number)[]) => `${metaPath}:${lineOf(doc, counter, path)}`;

  for (const name of ['exercise.md', 'hints.md', 'explanation.md']) {
    if (!existsSync(join(dir, name))) problems.push(`${join(dir, name)}:1: missing`);
  }
  const starter = await readTree(join(dir, 'starter'));
  const solution = await readTree(join(dir, 'solution'));
  const tests = await readTree(join(dir, 'tests'));
  meta.edit.forEach((file, i) => {
    if (starter.text[file] === undefined)
      problems.push(`${line(['edit', i])}: edit: starter/${file} does not exist`);
    if (solution.text[file] === undefined)
      problems.push(`${line(['edit', i])}: edit: solution/${file} does not exist`);
  });
  if (meta.run && starter.text[meta.run] === undefined)
    problems.push(`${line(['run'])}: run: starter/${meta.run} does not exist`);
  meta.checks.forEach((check, i) => {
    const needTest = (field: string, value: string) => {
      const file = value.split(':')[0] as string;
      if (tests.text[file.replace(/^tests\//, '')] === undefined) {
        problems.push(`${line(['checks', i, field])}: checks.${i}.${field}: ${file} does not exist`);
      }
    };
    const needStarter = (field: string, file: string) => {
      if (starter.text[file] === undefined)
        problems.push(`${line(['checks', i, field])}: checks.${i}.${field}: starter/${file} does not exist`);
    };
    switch (check.kind) {
      case 'correctness':
        needTest('cases', check.cases);
        break;
      case 'speed':
      case 'growth':
      case 'overlap':
      case 'cpu-scaling':
        needTest('input', check.input);
        break;
      case 'memory-streaming':
        needTest('data', check.data);
        needStarter('entry', check.entry);
        break;
      case 'memory-peak':
      case 'race':
      case 'hang':
        needStarter('entry', check.entry);
        if (check.data !== undefined) {
          needTest('data', check.data);
          // The hidden data replaces a read-only file at most: never the learner's own code.
          if (meta.edit.includes(check.dataFile))
            problems.push(
              `${line(['checks', i, 'dataFile'])}: checks.${i}.dataFile: ${check.dataFile} is an editable file; hidden data may replace only a read-only one`,
            );
        }
        break;
      case 'tests-of-tests':
        check.tests.forEach((file, j) => {
          if (starter.text[file] === undefined)
            problems.push(
              `${line(['checks', i, 'tests', j])}: checks.${i}.tests: starter/${file} does not exist`,
            );
        });
        needStarter('implementation', check.implementation);
        if (
          !Object.keys(tests.text).some((p) => `tests/${p}`.startsWith(check.mutants.replace(/\/?$/, '/')))
        ) {
          problems.push(
            `${line(['checks', i, 'mutants'])}: checks.${i}.mutants: no mutant files under ${check.mutants}`,
          );
        }
        {
          // Tests that recognise one file (its hash, its text) pass on the reference alone:
          // they must also pass on correct versions written differently.
          const folder = `tests/${check.correct.replace(/^tests\//, '')}`.replace(/\/?$/, '/');
          const correct = Object.keys(tests.text).filter(
            (p) => `tests/${p}`.startsWith(folder) && p.endsWith('.py'),
          );
          if (correct.length < 2)
            problems.push(
              `${line(['checks', i, 'correct'])}: checks.${i}.correct: needs at least 2 correct implementations (.py files) under ${check.correct}, written differently from the reference; found ${correct.length}`,
            );
        }
        break;
      case 'memory-per-instance':
        break;
    }
  });
  if (problems.length > 0) throw new ExerciseError(problems);

  const [prompt, hints, explanation] = await Promise.all(
    ['exercise.md', 'hints.md', 'explanation.md'].map((name) => readFile(join(dir, name), 'utf8')),
  );
  return {
    dir,
    meta,
    prompt: prompt as string,
    hints: splitHints(hints as string),
    explanation: explanation as string,
    starter: starter.text,
    starterData: starter.binary,
    solution: solution.text,
    tests: tests.text,
  };
}

/** Every exercise folder (one holding meta.yaml) below a course folder. */
export async function findExerciseDirs(courseDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    if (existsSync(join(dir, 'meta.yaml'))) {
      found.push(dir);
      return;
    }
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
        await walk(join(dir, entry.name));
    }
  };
  await walk(courseDir);
  return found.sort();
}
