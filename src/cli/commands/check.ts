import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import Table from 'cli-table3';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Exercise } from '../../core/exercise.js';
import type { PythonRuntime } from '../../core/runtime.js';
import { checkBlock } from '../../course/check-blocks.js';
import { RECORD_FLAG, drillLine } from '../../course/drill-outputs.js';
import { loadCourse, type Course, type LoadedDrill, type Lesson } from '../../course/load.js';
import { ExerciseError, findExerciseDirs, loadExercise } from '../../exercises/load.js';
import type { Runner } from '../../runner/runner.js';
import { PROJECT_ROOT } from '../../pyenv/paths.js';
import { checkStatus } from '../../core/verify-report.js';
import { verifyExercise } from '../../verify/engine.js';
import { EXIT_UNDECIDED } from './verify.js';
import { UsageError } from '../errors.js';
import { colour, formatMs } from '../format.js';
import { mapLimited } from '../map-limited.js';
import { Progress } from '../progress.js';
import { withSession, type CommonOptions } from '../shared.js';
import { checkDrillOutputs, printDrillOutputRows, type OutputDrill } from '../drill-outputs-check.js';

interface Row {
  exercise: string;
  retried?: boolean;
  firstProblems?: string[];
  ok: boolean;
  expectedFails: string[];
  actualFails: string[];
  solutionFails: string[];
  problems: string[];
  /** Checks this machine could not decide now ("starter: id", "solution: id"): not problems, not confirmed either. */
  undecided?: string[];
  wallMs: number;
}

interface LessonRow {
  lesson: string;
  retried?: boolean;
  firstProblems?: string[];
  ok: boolean;
  runOk: number;
  runTotal: number;
  claimsOk: number;
  claimsTotal: number;
  problems: string[];
  wallMs: number;
}

/** A row for an exercise that could not be loaded or graded at all. */
function unloadableRow(exercise: string, problems: string[]): Row {
  return { exercise, ok: false, expectedFails: [], actualFails: [], solutionFails: [], problems, wallMs: 0 };
}

async function checkExercise(
  exercise: Exercise,
  name: string,
  runner: Runner,
  runtime: PythonRuntime,
): Promise<Row> {
  const started = performance.now();
  const [starter, solution] = await Promise.all([
    verifyExercise(exercise, {}, { runner, runtime, gradedLabel: 'starter' }),
    verifyExercise(exercise, exercise.solution, { runner, runtime, gradedLabel: 'solution' }),
  ]);
  // Only decided verdicts can contradict the declaration; an undecided check (the machine was
  // too busy or noisy) is listed apart and makes the command exit 4, never 1.
  const decided = (checks: typeof starter.checks) => checks.filter((c) => checkStatus(c) !== 'undecided');
  const actualFails = decided(starter.checks)
    .filter((c) => !c.passed)
    .map((c) => c.id);
  const expectedFails = [...exercise.meta.starterFails].sort();
  const solutionFails = decided(solution.checks)
    .filter((c) => !c.passed)
    .map((c) => c.id);
  const problems = [
    ...decided(starter.checks)
      .filter((c) => c.passed === expectedFails.includes(c.id))
      .map((c) => `starter ${c.passed ? 'passes' : 'fails'} ${c.id}: ${c.sentence}`),
    ...decided(solution.checks)
      .filter((c) => !c.passed)
      .map((c) => `solution fails ${c.id}: ${c.sentence}`),
  ];
  const undecided = [
    ...starter.checks
      .filter((c) => checkStatus(c) === 'undecided')
      .map((c) => `starter: ${c.id}: ${c.sentence}`),
    ...solution.checks
      .filter((c) => checkStatus(c) === 'undecided')
      .map((c) => `solution: ${c.id}: ${c.sentence}`),
  ];
  return {
    exercise: name,
    ok: problems.length === 0,
    expectedFails,
    actualFails: actualFails.sort(),
    solutionFails,
    problems,
    undecided,
    wallMs: performance.now() - started,
  };
}

async function checkLesson(lesson: Lesson, runner: Runner): Promise<LessonRow> {
  const started = performance.now();
  const problems: string[] = [];
  let runOk = 0;
  let claimsOk = 0;
  for (const block of lesson.blocks) {
    // Profile blocks count as claims; a broken one names the lesson file, the block's line and the claim.
    const result = await checkBlock(runner, block);
    if (result.ok) {
      if (block.kind === 'run') runOk++;
      else claimsOk++;
    } else problems.push(`${lesson.file}:${block.line}: ${result.detail}`);
  }
  const runTotal = lesson.blocks.filter((b) => b.kind === 'run').length;
  const claimsTotal = lesson.blocks.length - runTotal;
  return {
    lesson: lesson.id,
    ok: problems.length === 0,
    runOk,
    runTotal,
    claimsOk,
    claimsTotal,
    problems,
    wallMs: performance.now() - started,
  };
}

/**
 * Drills without a rubric, as `FILE:LINE: message`. A check of its own rather than a loader
 * problem: `perflab serve` refuses to start on loader problems, and a missing rubric should
 * fail the authors' check without taking the course offline.
 */
async function keyPointProblems(drills: LoadedDrill[]): Promise<string[]> {
  const texts = new Map<string, string>();
  const problems: string[] = [];
  for (const drill of drills.filter((d) => !d.key_points)) {
    if (!texts.has(drill.file)) texts.set(drill.file, await readFile(drill.file, 'utf8'));
    const line = drillLine(texts.get(drill.file) as string, drill.id);
    problems.push(
      `${drill.file}:${line}: drill "${drill.id}" has no key_points: list the 3–6 points a strong answer names (the rubric a mock interview scores)`,
    );
  }
  return problems;
}

export async function checkCommand(
  courseDir: string | undefined,
  options: CommonOptions & { only?: string; retryFailed?: boolean; recordDrillOutputs?: boolean },
): Promise<number> {
  const root = courseDir ?? join(PROJECT_ROOT, 'course');
  const only = options.only;
  const matches = (id: string, path = '') => !only || id.includes(only) || path.includes(only);
  let course: Course | null = null;
  let exercises: { exercise: Exercise | null; dir: string; problems: string[] }[] = [];
  const loadProblems: string[] = [];
  if (existsSync(join(root, 'course.yaml'))) {
    try {
      course = await loadCourse(root);
    } catch (error) {
      if (error instanceof ExerciseError)
        throw new UsageError(`the course is not valid:\n${error.problems.join('\n')}`);
      throw error;
    }
    // Recorded drill outputs are checked (or recorded) below with a fresh run of each program.
    const ownProblems = [
      ...course.problems.filter((p) => !p.includes(RECORD_FLAG)),
      ...(await keyPointProblems(course.drills)),
    ];
    loadProblems.push(...ownProblems.filter((p) => !only || p.includes(only)));
    exercises = course.exercises
      .filter((e) => matches(e.meta.id, e.dir))
      .map((exercise) => ({ exercise, dir: exercise.dir, problems: [] }));
  } else {
    const dirs = (await findExerciseDirs(root)).filter((d) => matches(d, d));
    for (const dir of dirs) {
      try {
        exercises.push({ exercise: await loadExercise(dir), dir, problems: [] });
      } catch (error) {
        exercises.push({
          exercise: null,
          dir,
          problems: error instanceof ExerciseError ? error.problems : [(error as Error).message],
        });
      }
    }
  }
  const lessons = (course?.lessons ?? []).filter((l) => matches(l.id, l.file));
  const outputDrills = (course?.drills ?? []).filter(
    (d): d is OutputDrill => d.output !== undefined && d.kind === 'code-reading' && matches(d.id, d.file),
  );
  if (
    exercises.length === 0 &&
    lessons.length === 0 &&
    outputDrills.length === 0 &&
    loadProblems.length === 0
  ) {
    throw new UsageError(`nothing to check under ${root}${only ? ` matching "${only}"` : ''}`);
  }

  return withSession(
    options,
    async ({ runner, runtime }) => {
      const total = exercises.length + lessons.length + outputDrills.length;
      const what = 'lessons, exercises and drill programs';
      const progress = new Progress(`checking ${total} ${what}`, !options.json);
      let done = 0;
      const tick = () => progress.setLabel(`checked ${++done} of ${total} ${what}`);
      const exerciseRows = await mapLimited(
        exercises,
        availableParallelism(),
        async ({ exercise, dir, problems }): Promise<Row> => {
          const name = relative(root, dir) || dir;
          try {
            if (!exercise) return unloadableRow(name, problems);
            const first = await checkExercise(exercise, name, runner, runtime);
            if ((first.ok && !first.undecided?.length) || !options.retryFailed) return first;
            // A second, independent measurement tells a busy machine from broken content;
            // both results are kept in the report.
            const second = await checkExercise(exercise, name, runner, runtime);
            return { ...second, retried: true, firstProblems: first.problems };
          } catch (error) {
            return unloadableRow(name, [(error as Error).message]);
          } finally {
            tick();
          }
        },
      );
      // One lesson at a time: lessons make timing claims, which runs beside them would distort.
      const lessonRows = await mapLimited(lessons, 1, async (lesson) => {
        try {
          const first = await checkLesson(lesson, runner);
          if (first.ok || !options.retryFailed) return first;
          const second = await checkLesson(lesson, runner);
          return { ...second, retried: true, firstProblems: first.problems };
        } finally {
          tick();
        }
      });
      const drillRows = await checkDrillOutputs(outputDrills, runner, runtime.version, options, tick);
      progress.stop();
      const coverage = only ? null : (course?.coverage ?? null);
      const allOk =
        exerciseRows.every((r) => r.ok) &&
        lessonRows.every((r) => r.ok) &&
        drillRows.every((r) => r.ok) &&
        loadProblems.length === 0;
      const undecidedRows = exerciseRows.filter((r) => (r.undecided?.length ?? 0) > 0);
      // 4: nothing contradicts the declarations, but some checks could not be decided here now.
      const undecidedDrills = drillRows.filter((r) => r.undecided !== null);
      const exitStatus = !allOk ? 1 : undecidedRows.length + undecidedDrills.length > 0 ? EXIT_UNDECIDED : 0;
      if (options.json) {
        process.stdout.write(
          JSON.stringify(
            {
              schema: 'perflab.check/1',
              ok: allOk,
              problems: loadProblems,
              exercises: exerciseRows,
              lessons: lessonRows,
              drillOutputs: drillRows,
              coverage,
              drills: course?.drills.length ?? 0,
            },
            null,
            2,
          ) + '\n',
        );
        return exitStatus;
      }
      if (exerciseRows.length > 0) {
        const table = new Table({
          head: [
            'exercise',
            'starter fails (declared)',
            'starter fails (measured)',
            'solution',
            'time',
            '',
          ].map((h) => colour.bold(h)),
          style: { head: [], border: [] },
        });
        for (const row of exerciseRows) {
          table.push([
            row.exercise,
            row.expectedFails.join(', ') || '—',
            row.actualFails.join(', ') || '—',
            row.solutionFails.length === 0 ? 'all pass' : `fails ${row.solutionFails.join(', ')}`,
            formatMs(row.wallMs),
            !row.ok
              ? colour.red('MISMATCH')
              : row.undecided?.length
                ? colour.yellow('UNDECIDED')
                : colour.green('ok'),
          ]);
        }
        console.log(table.toString());
      }
      if (lessonRows.length > 0) {
        const table = new Table({
          head: ['lesson', 'runnable blocks', 'claims', 'time', ''].map((h) => colour.bold(h)),
          style: { head: [], border: [] },
        });
        for (const row of lessonRows) {
          table.push([
            row.lesson,
            `${row.runOk}/${row.runTotal}`,
            `${row.claimsOk}/${row.claimsTotal}`,
            formatMs(row.wallMs),
            row.ok ? colour.green('ok') : colour.red('FAIL'),
          ]);
        }
        console.log(table.toString());
      }
      printDrillOutputRows(drillRows);
      if (coverage) {
        const table = new Table({
          head: ['topic', 'lessons', 'exercises', 'drills', ''].map((h) => colour.bold(h)),
          style: { head: [], border: [] },
        });
        for (const topic of coverage) {
          const covered = topic.lessons.length > 0 && topic.exercises.length > 0 && topic.drills.length > 0;
          table.push([
            topic.id,
            topic.lessons.length,
            topic.exercises.length,
            topic.drills.length,
            covered ? colour.green('covered') : colour.red('GAP'),
          ]);
        }
        console.log(table.toString());
        console.log(
          `${course?.lessons.length ?? 0} lessons, ${course?.exercises.filter((e) => e.meta.kind === 'debug').length ?? 0} debugging exercises, ` +
            `${course?.exercises.filter((e) => e.meta.kind === 'challenge').length ?? 0} challenges, ${course?.drills.length ?? 0} drills`,
        );
      }
      for (const row of [...exerciseRows, ...lessonRows].filter((r) => r.retried)) {
        const name = 'exercise' in row ? row.exercise : row.lesson;
        console.log(
          colour.yellow(
            `\n${name} failed once and was checked again (${row.ok ? 'ok the second time' : 'failed again'}); the first failure:`,
          ),
        );
        for (const problem of row.firstProblems ?? []) console.log(`  ${problem}`);
      }
      for (const row of exerciseRows.filter((r) => !r.ok)) {
        console.log(colour.red(`\n${row.exercise}:`));
        for (const problem of row.problems) console.log(`  ${problem}`);
      }
      for (const row of lessonRows.filter((r) => !r.ok)) {
        console.log(colour.red(`\n${row.lesson}:`));
        for (const problem of row.problems) console.log(`  ${problem}`);
      }
      for (const row of undecidedRows) {
        console.log(colour.yellow(`\n${row.exercise}: could not be decided on this machine now:`));
        for (const line of row.undecided ?? []) console.log(`  ${line}`);
      }
      if (loadProblems.length > 0) {
        console.log(colour.red('\nContent problems:'));
        for (const problem of loadProblems) console.log(`  ${problem}`);
      }
      console.log(
        !allOk
          ? colour.red('\nSome content does not behave as declared (see above).')
          : undecidedRows.length + undecidedDrills.length > 0
            ? colour.yellow(
                '\nNothing contradicts the declarations, but some checks could not be decided (see above): run the check again when the machine is quieter, or on one with more CPUs.',
              )
            : colour.green('\nEverything checked is as declared.'),
      );
      return exitStatus;
    },
    { warmPool: true },
  );
}
