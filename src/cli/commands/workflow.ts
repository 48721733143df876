/**
 * The terminal workflow for learners who prefer their own editor:
 * `perflab list`, `start`, `hint`, `explain`, `show` (and `verify` inside a working dir).
 * Progress and saved code are the web app's (workflow/learner-store.ts): the same data dir.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { exerciseEntry } from '../../core/exercise-workspace.js';
import { findLesson } from '../../course/load.js';
import { checkBlock } from '../../course/check-blocks.js';
import { UsageError } from '../errors.js';
import { colour, formatMs } from '../format.js';
import { withSession, type CommonOptions } from '../shared.js';
import { findExercise, openCourse } from '../workflow/course-context.js';
import { withLearnerStore, type DataDirOption } from '../workflow/learner-store.js';
import { findMarker, writeMarker } from '../workflow/marker.js';
import { renderLessonMarkdown } from '../workflow/render-markdown.js';

interface CourseOption extends DataDirOption {
  course?: string;
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim().toLowerCase();
  } finally {
    rl.close();
  }
}

function badge(difficulty: string): string {
  return difficulty === 'beginner'
    ? colour.green('beginner')
    : difficulty === 'intermediate'
      ? colour.yellow('intermediate')
      : colour.red('advanced');
}

export async function listCommand(options: CourseOption & { json?: boolean }): Promise<number> {
  const course = await openCourse(options.course);
  const progress = await withLearnerStore(options, (store, learnerId) => store.getProgress(learnerId));
  const started = (id: string) => (progress.exercises[id]?.status ?? 'not-started') !== 'not-started';
  const solved = (id: string) => progress.exercises[id]?.status === 'solved';
  if (options.json) {
    process.stdout.write(
      JSON.stringify(
        {
          schema: 'perflab.list/1',
          title: course.file.title,
          modules: course.modules.map((m) => ({
            id: m.id,
            title: m.title,
            lessons: course.lessons
              .filter((l) => l.moduleId === m.id)
              .map((l) => ({ id: l.id, title: l.title, opened: Boolean(progress.lessons[l.id]) })),
            exercises: m.exercises.map((id) => ({
              id,
              solved: solved(id),
              started: started(id),
            })),
          })),
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  console.log(colour.bold(course.file.title));
  for (const module of course.modules) {
    console.log(`\n${colour.bold(module.title)} ${colour.dim(`(${module.id})`)}`);
    for (const lesson of course.lessons.filter((l) => l.moduleId === module.id)) {
      const mark = progress.lessons[lesson.id] ? colour.green('✓') : ' ';
      console.log(
        `  ${mark} lesson    ${lesson.id.padEnd(34)} ${lesson.title} ${colour.dim(`· ${lesson.minutes} min ·`)} ${badge(lesson.difficulty)}`,
      );
    }
    for (const id of module.exercises) {
      const exercise = course.exercises.find((e) => e.meta.id === id);
      if (!exercise) continue;
      const mark = solved(id) ? colour.green('✓') : started(id) ? colour.yellow('•') : ' ';
      const kind = exercise.meta.kind === 'challenge' ? 'challenge' : 'exercise ';
      console.log(
        `  ${mark} ${kind} ${id.padEnd(34)} ${exercise.meta.title} ${colour.dim('·')} ${badge(exercise.meta.difficulty)}`,
      );
    }
  }
  console.log(colour.dim(`\n✓ done  • started   ·   perflab show LESSON   ·   perflab start EXERCISE`));
  return 0;
}

export async function startCommand(
  id: string,
  dir: string | undefined,
  options: CourseOption,
): Promise<number> {
  const course = await openCourse(options.course);
  const exercise = findExercise(course, id) as NonNullable<ReturnType<typeof findExercise>>;
  const target = resolve(dir ?? exercise.meta.id);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new UsageError(
      `${target} already exists and is not empty; pick another folder: perflab start ${exercise.meta.id} OTHER_DIR`,
    );
  }
  const saved = await withLearnerStore(options, async (store, learnerId) => {
    await store.advanceExercise(learnerId, exercise.meta.id, 'started', Date.now());
    return store.getSavedFiles(learnerId, exercise.meta.id);
  });
  // Code saved in the browser (or by an earlier verify) replaces the starter's editable files;
  // only those: a saved path is never trusted to stay inside the folder otherwise.
  const savedEdits = Object.entries(saved?.files ?? {}).filter(([path]) => exercise.meta.edit.includes(path));
  mkdirSync(target, { recursive: true });
  for (const [path, content] of [
    ...Object.entries(exercise.starter),
    ...Object.entries(exercise.starterData),
    ...savedEdits,
  ]) {
    const file = join(target, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  writeFileSync(join(target, 'EXERCISE.md'), exercise.prompt);
  writeMarker(target, { schema: 'perflab.workdir/1', exercise: exercise.meta.id, courseDir: course.dir });
  console.log(
    `${colour.bold(exercise.meta.title)} — copied ${savedEdits.length > 0 ? 'your saved code' : 'the starter'} into ${target}`,
  );
  console.log(`Edit ${exercise.meta.edit.join(', ')}; the prompt is in EXERCISE.md.`);
  console.log(
    colour.dim(
      `\n  cd ${target}\n  perflab run ${exerciseEntry(exercise)}      reproduce\n  perflab profile ${exerciseEntry(exercise)}  measure\n  perflab hint            when stuck\n  perflab verify          prove the fix`,
    ),
  );
  return 0;
}

function currentExercise() {
  const found = findMarker();
  if (!found) {
    throw new UsageError(
      'not inside an exercise folder; run `perflab start EXERCISE` first, then cd into the folder it makes',
    );
  }
  return found;
}

export async function hintCommand(options: CourseOption): Promise<number> {
  const { marker } = currentExercise();
  const course = await openCourse(options.course ?? marker.courseDir);
  const exercise = findExercise(course, marker.exercise) as NonNullable<ReturnType<typeof findExercise>>;
  const id = exercise.meta.id;
  const shown = await withLearnerStore(options, async (store, learnerId) => {
    const before = (await store.getProgress(learnerId)).exercises[id]?.hintsShown ?? 0;
    if (before < exercise.hints.length) {
      await store.setHintsShown(learnerId, id, before + 1);
      await store.advanceExercise(learnerId, id, 'started', Date.now());
    }
    return before;
  });
  if (shown >= exercise.hints.length) {
    console.log(
      `All ${exercise.hints.length} hints are shown. ${colour.dim('`perflab explain` shows the full explanation.')}`,
    );
    for (const [i, hint] of exercise.hints.entries())
      console.log(`\n${colour.bold(`Hint ${i + 1}`)}\n${hint}`);
    return 0;
  }
  const hint = exercise.hints[shown] as string;
  console.log(`${colour.bold(`Hint ${shown + 1} of ${exercise.hints.length}`)}\n${hint}`);
  return 0;
}

export async function explainCommand(options: CourseOption & { yes?: boolean }): Promise<number> {
  const { marker } = currentExercise();
  const course = await openCourse(options.course ?? marker.courseDir);
  const exercise = findExercise(course, marker.exercise) as NonNullable<ReturnType<typeof findExercise>>;
  const id = exercise.meta.id;
  const solved = await withLearnerStore(
    options,
    async (store, learnerId) => (await store.getProgress(learnerId)).exercises[id]?.status === 'solved',
  );
  if (!options.yes && !solved) {
    if (!process.stdin.isTTY)
      throw new UsageError('the explanation gives the answer away; pass --yes to see it anyway');
    const answer = await ask('The explanation gives the answer away. Show it anyway? [y/N] ');
    if (answer !== 'y' && answer !== 'yes') {
      console.log('Kept hidden. `perflab hint` gives a nudge instead.');
      return 0;
    }
  }
  await withLearnerStore(options, (store, learnerId) => store.markExplanationShown(learnerId, id));
  console.log(renderLessonMarkdown(exercise.explanation));
  return 0;
}

export async function showCommand(
  query: string,
  options: CourseOption & CommonOptions & { run?: boolean },
): Promise<number> {
  const course = await openCourse(options.course);
  const lesson = findLesson(course, query);
  if (!lesson) throw new UsageError(`no lesson "${query}"; \`perflab list\` shows them all`);
  // The store keeps the first read: showing a lesson again does not move it.
  await withLearnerStore(options, (store, learnerId) =>
    store.markLessonRead(learnerId, lesson.id, Date.now()),
  );
  console.log(`${colour.bold(lesson.title)} ${colour.dim(`· ${lesson.minutes} min · ${lesson.difficulty}`)}`);
  console.log(colour.dim(`Objectives: ${lesson.objectives.join('; ')}\n`));
  console.log(renderLessonMarkdown(lesson.body));
  if (lesson.blocks.length === 0) return 0;
  let runAll = options.run === true;
  if (options.run === undefined) {
    if (!process.stdin.isTTY) return 0;
    const answer = await ask(`Run this lesson's ${lesson.blocks.length} examples in the sandbox now? [y/N] `);
    runAll = answer === 'y' || answer === 'yes';
  }
  if (!runAll) return 0;
  let failures = 0;
  await withSession(options, async ({ runner }) => {
    for (const [index, block] of lesson.blocks.entries()) {
      const started = performance.now();
      console.log(
        colour.bold(
          `\n[${index + 1}] ${block.kind === 'run' ? 'running' : block.kind === 'compare' ? `timing ${block.faster} against ${block.slower}` : `profiling (${block.profiler})`}…`,
        ),
      );
      const result = await checkBlock(runner, block);
      if (block.kind === 'run') process.stdout.write(result.output ?? '');
      const took = colour.dim(`(${formatMs(performance.now() - started)})`);
      if (result.ok)
        console.log(colour.green(`✓ ${block.kind === 'run' ? 'matches the lesson' : result.detail}`), took);
      else {
        failures++;
        console.log(colour.red(`✗ ${result.detail}`), took);
      }
    }
  });
  return failures === 0 ? 0 : 1;
}
