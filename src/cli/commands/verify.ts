import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Exercise, FileTree } from '../../core/exercise.js';
import { reportStatus, type VerifyReport } from '../../core/verify-report.js';
import { findExercise, openCourse } from '../workflow/course-context.js';
import type { DataDirOption } from '../workflow/learner-store.js';
import { recordVerification } from '../workflow/record-verification.js';
import { findMarker } from '../workflow/marker.js';
import { ExerciseError, loadExercise } from '../../exercises/load.js';
import { verifyExercise } from '../../verify/engine.js';
import { UsageError } from '../errors.js';
import { Progress } from '../progress.js';
import { renderVerifyReport } from '../render-verify.js';
import { withSession, type CommonOptions } from '../shared.js';

/**
 * `perflab verify`'s exit status: 0 every check passed; 1 a check failed; 4 none failed but at
 * least one could not be decided on this machine now (too busy or noisy): run it again later.
 */
export const EXIT_UNDECIDED = 4;

export function verifyExitStatus(report: VerifyReport): number {
  const status = reportStatus(report);
  return status === 'passed' ? 0 : status === 'undecided' ? EXIT_UNDECIDED : 1;
}

export interface VerifyOptions extends CommonOptions, DataDirOption {
  solution?: string;
  seed?: string;
}

/** The learner's versions of the editable files, from a folder or (for one-file exercises) a file. */
export async function readEdits(editable: string[], path: string): Promise<FileTree> {
  if (!existsSync(path)) throw new UsageError(`--solution ${path}: no such file or folder`);
  const edits: FileTree = {};
  if (statSync(path).isDirectory()) {
    for (const file of editable) {
      if (existsSync(join(path, file))) edits[file] = await readFile(join(path, file), 'utf8');
    }
    if (Object.keys(edits).length === 0)
      throw new UsageError(
        `--solution ${path} holds none of the files this exercise edits (${editable.join(', ')})`,
      );
    return edits;
  }
  const match =
    editable.find((file) => basename(file) === basename(path)) ??
    (editable.length === 1 ? editable[0] : undefined);
  if (!match)
    throw new UsageError(
      `--solution ${path}: this exercise edits ${editable.join(', ')}; pass a folder holding them`,
    );
  edits[match] = await readFile(path, 'utf8');
  return edits;
}

export async function loadOrExplain(dir: string) {
  try {
    return await loadExercise(dir);
  } catch (error) {
    if (error instanceof ExerciseError)
      throw new UsageError(`the exercise is not valid:\n${error.problems.join('\n')}`);
    throw error;
  }
}

export async function verifyCommand(dir: string | undefined, options: VerifyOptions): Promise<number> {
  // Without a folder argument: the exercise this working directory was started from.
  const workdir = dir === undefined ? findMarker() : null;
  if (dir === undefined && !workdir) {
    throw new UsageError(
      'give an exercise folder, or run `perflab verify` inside a folder made by `perflab start`',
    );
  }
  const exercise = workdir
    ? (findExercise(await openCourse(workdir.marker.courseDir), workdir.marker.exercise) as Exercise)
    : await loadOrExplain(dir as string);
  const solutionPath = options.solution ?? workdir?.dir;
  const edits = solutionPath ? await readEdits(exercise.meta.edit, solutionPath) : {};
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes a whole number');
  return withSession(options, async ({ runner, runtime }) => {
    const startedAtMs = Date.now();
    const progress = new Progress(`verifying ${exercise.meta.id}`, !options.json);
    const report = await verifyExercise(exercise, edits, {
      runner,
      runtime,
      gradedLabel: solutionPath ?? 'the starter',
      seed,
      onProgress: (line, kind) => {
        progress.setLabel(line);
        // Waiting is worth a line of its own, even without a terminal (CI logs): it says why
        // the verification takes longer than usual.
        if (kind === 'waiting') progress.write(process.stderr, `perflab verify: ${line}\n`);
      },
    });
    progress.stop();
    // Solved only when every check passed: an undecided check is not a pass.
    if (workdir) await recordVerification(options, exercise, edits, report, startedAtMs);
    if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else console.log(renderVerifyReport(report));
    return verifyExitStatus(report);
  });
}
