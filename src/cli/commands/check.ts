import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import Table from 'cli-table3';
import { ExerciseError, findExerciseDirs, loadExercise } from '../../exercises/load.js';
import { PROJECT_ROOT } from '../../pyenv/paths.js';
import { verifyExercise } from '../../verify/engine.js';
import { UsageError } from '../errors.js';
import { colour, formatMs } from '../format.js';
import { Progress } from '../progress.js';
import { withSession, type CommonOptions } from '../shared.js';

interface Row {
  exercise: string;
  ok: boolean;
  expectedFails: string[];
  actualFails: string[];
  solutionFails: string[];
  problems: string[];
  wallMs: number;
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

export async function checkCommand(
  courseDir: string | undefined,
  options: CommonOptions & { only?: string },
): Promise<number> {
  const root = courseDir ?? join(PROJECT_ROOT, 'course');
  let dirs = await findExerciseDirs(root);
  if (options.only) dirs = dirs.filter((d) => d.includes(options.only as string));
  if (dirs.length === 0) throw new UsageError(`no exercises (folders with meta.yaml) under ${root}`);
  return withSession(options, async ({ runner, runtime }) => {
    const progress = new Progress(`checking ${dirs.length} exercises`, !options.json);
    let done = 0;
    const rows = await mapLimited(dirs, availableParallelism(), async (dir): Promise<Row> => {
      const started = performance.now();
      const name = relative(root, dir) || dir;
      try {
        const exercise = await loadExercise(dir);
        const [starter, solution] = await Promise.all([
          verifyExercise(exercise, {}, { runner, runtime, gradedLabel: 'starter' }),
          verifyExercise(exercise, exercise.solution, { runner, runtime, gradedLabel: 'solution' }),
        ]);
        const actualFails = starter.checks.filter((c) => !c.passed).map((c) => c.id);
        const expectedFails = [...exercise.meta.starterFails].sort();
        const solutionFails = solution.checks.filter((c) => !c.passed).map((c) => c.id);
        const problems = [
          ...starter.checks
            .filter((c) => c.passed === expectedFails.includes(c.id))
            .map((c) => `starter ${c.passed ? 'passes' : 'fails'} ${c.id}: ${c.sentence}`),
          ...solution.checks.filter((c) => !c.passed).map((c) => `solution fails ${c.id}: ${c.sentence}`),
        ];
        return {
          exercise: name,
          ok: problems.length === 0,
          expectedFails,
          actualFails: actualFails.sort(),
          solutionFails,
          problems,
          wallMs: performance.now() - started,
        };
      } catch (error) {
        const problems = error instanceof ExerciseError ? error.problems : [(error as Error).message];
        return {
          exercise: name,
          ok: false,
          expectedFails: [],
          actualFails: [],
          solutionFails: [],
          problems,
          wallMs: performance.now() - started,
        };
      } finally {
        done++;
        progress.setLabel(`checked ${done} of ${dirs.length} exercises`);
      }
    });
    progress.stop();
    const allOk = rows.every((r) => r.ok);
    if (options.json) {
      process.stdout.write(
        JSON.stringify({ schema: 'perflab.check/1', ok: allOk, exercises: rows }, null, 2) + '\n',
      );
      return allOk ? 0 : 1;
    }
    const table = new Table({
      head: ['exercise', 'starter fails (declared)', 'starter fails (measured)', 'solution', 'time', ''].map(
        (h) => colour.bold(h),
      ),
      style: { head: [], border: [] },
    });
    for (const row of rows) {
      table.push([
        row.exercise,
        row.expectedFails.join(', ') || '—',
        row.actualFails.join(', ') || '—',
        row.solutionFails.length === 0 ? 'all pass' : `fails ${row.solutionFails.join(', ')}`,
        formatMs(row.wallMs),
        row.ok ? colour.green('ok') : colour.red('MISMATCH'),
      ]);
    }
    console.log(table.toString());
    for (const row of rows.filter((r) => !r.ok)) {
      console.log(colour.red(`\n${row.exercise}:`));
      for (const problem of row.problems) console.log(`  ${problem}`);
    }
    console.log(
      allOk
        ? colour.green(`\n${rows.length} exercises: all as declared.`)
        : colour.red(
            `\n${rows.filter((r) => !r.ok).length} of ${rows.length} exercises do not behave as declared.`,
          ),
    );
    return allOk ? 0 : 1;
  });
}
