#!/usr/bin/env node
/**
 * The `perflab` command. Exit status: 0 ok; 1 the program failed or hit a limit; 2 usage
 * error (bad flags, missing or unreadable file); 3 perflab cannot run here (no Python
 * environment or no sandbox).
 */
import { Command, CommanderError, Option } from 'commander';
import { EXIT, UsageError } from './errors.js';
import { colour } from './format.js';
import { EnvironmentError } from './environment-error.js';
import { defaultDataDir } from './workflow/data-dir.js';
import { DRILL_HELP } from './drill/help.js';
export { dropOutputNobodyReads, exitAfterOutput } from './exit.js';
// Commands are imported when used: start-up time counts against every run (see docs/benchmarks.md).
const commands = {
  run: () => import('./commands/run.js'),
  profile: () => import('./commands/profile.js'),
  timeit: () => import('./commands/timeit.js'),
  doctor: () => import('./commands/doctor.js'),
  demo: () => import('./commands/demo.js'),
  verify: () => import('./commands/verify.js'),
  check: () => import('./commands/check.js'),
  workflow: () => import('./commands/workflow.js'),
  serve: () => import('./commands/serve.js'),
  drill: () => import('./commands/drill.js'),
};

const EXIT_CODES_HELP = `
Exit status:
  0  the program ran and exited 0 (doctor: everything needed is present)
  1  the program failed, raised, or hit a limit (timeout, cpu-limit, memory-limit, process-limit, output-limit)
  2  usage error: unknown flag, bad value, missing/empty/binary/non-UTF-8 file, a timeit candidate that cannot be timed
  3  perflab cannot run here: no Python environment (run npm install) or no usable sandbox
  4  verify, check: nothing failed, but a check could not be decided on this machine now (too busy); run it again later
  130  drill: stopped with Ctrl-C (after its summary; every grade given is kept)`;

function sandboxOption(): Option {
  return new Option('--sandbox <backend>', 'where code runs: bwrap (isolated), process (NOT isolated), auto')
    .choices(['auto', 'bwrap', 'process'])
    .default('auto');
}

/** Shared by `serve` and the learner commands, so the browser and the terminal share progress. */
function dataDirOption(): Option {
  return new Option(
    '--data-dir <dir>',
    'where progress, saved code and job history are kept (SQLite; shared with `perflab serve`)',
  ).default(
    defaultDataDir(),
    '$PERFLAB_DATA_DIR, else $PERFLAB_HOME/data, PERFLAB_HOME defaulting to ~/.perflab',
  );
}

const courseOption = () =>
  new Option('--course <dir>', 'another course folder (default: the built-in course)');

/** The help text after a command's options: its examples, one command line each. */
const examples = (...lines: string[]) => `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}`;

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('perflab')
    .description('Run, profile and time Python programs in a sandbox, the way a performance engineer would.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(colour.red(text)) })
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();

  /** A command's action: loads its module when used, runs it, and keeps its exit status. */
  const act =
    <A extends unknown[]>(load: () => Promise<(...args: A) => Promise<number>>) =>
    async (...args: A) =>
      setExit(await (await load())(...args));

  /** What `run` and `profile` end with: the sandbox choice, examples, and the command (loaded when used). */
  function runsAFile<O>(
    command: Command,
    exampleLines: string[],
    load: () => Promise<(file: string, args: string[], options: O) => Promise<number>>,
  ): void {
    command
      .addOption(sandboxOption())
      .addHelpText('after', examples(...exampleLines))
      .action(act(load));
  }

  const run = program
    .command('run')
    .description('run a Python file in the sandbox and report exit status, time, CPU and memory')
    .argument('<file>', 'the Python file (files beside it are copied in too)')
    .argument('[args...]', 'arguments for the program (put them after --)')
    .option(
      '--stdin <mode>',
      'closed (EOF), terminal (open but silent: input() waits), or a file to feed',
      'closed',
    )
    .option('--timeout <seconds>', 'wall-time limit (default 10)')
    .option('--memory <MB>', 'memory limit for all processes together (default 512)')
    .option(
      '--repeat <n>',
      'run N times in fresh interpreters and group the distinct outcomes (exposes races)',
    )
    .option(
      '--switch-interval <seconds>',
      'sys.setswitchinterval for the program: smaller values make races show sooner',
    )
    .option('--json', 'print the result as one JSON document instead of text');
  runsAFile(
    run,
    [
      'perflab run slow.py',
      'perflab run reader.py --stdin terminal --timeout 3',
      'perflab run counter.py --repeat 50 --switch-interval 0.00001',
      'perflab run tool.py -- --input data.csv',
    ],
    async () => (await commands.run()).runCommand,
  );

  const profile = program
    .command('profile')
    .description(
      'profile a Python file: cProfile by default (function table, hot spot, optional line timings and memory); ' +
        '--sample, --timeline or --memray for every thread and process (see docs/profiling.md)',
    )
    .argument('<file>', 'the Python file')
    .argument('[args...]', 'arguments for the program (put them after --)')
    .option('--lines', 'also time each line of your hottest functions (line_profiler; no code changes)')
    .option('--memory', 'also trace allocations (tracemalloc): peak, top sites, biggest types')
    .option(
      '--sample',
      'instead of cProfile: sample every thread and child process with py-spy (per-thread tables, GIL, timeline)',
    )
    .option('--rate <Hz>', 'with --sample: samples per second per thread, 1-1000 (default 100)')
    .option(
      '--no-gil',
      'with --sample: skip the second py-spy instance that records which thread held the GIL',
    )
    .option(
      '--timeline',
      'instead of cProfile: trace every call with VizTracer and draw threads, processes and asyncio tasks over time',
    )
    .option(
      '--memray',
      'instead of cProfile: record every allocation with memray (peak stacks, never-freed memory)',
    )
    .option('--native', 'with --memray: include C/C++ frames in the stacks')
    .addOption(
      new Option('--sort <key>', 'table order')
        .choices(['cumulative', 'tottime', 'calls'])
        .default('cumulative'),
    )
    .option('--top <n>', 'rows to show', '20')
    .option(
      '--out <path>',
      'save the profile, by ending: .prof (pstats) or .speedscope.json with cProfile; .trace.json (Perfetto) or ' +
        '.speedscope.json with --sample; .trace.json with --timeline; .bin (memray) with --memray; .json always',
    )
    .option('--stdin <mode>', 'closed, terminal, or a file to feed', 'closed')
    .option('--timeout <seconds>', 'wall-time limit per run (default 10)')
    .option('--memory-limit <MB>', 'memory limit (default 512)')
    .option('--json', 'print the result as one JSON document');
  runsAFile(
    profile,
    [
      'perflab profile words.py',
      'perflab profile words.py --lines --sort tottime',
      'perflab profile words.py --out words.speedscope.json',
      'perflab profile pool.py --sample                               (which thread ran what, who held the GIL)',
      'perflab profile pool.py --sample --rate 250 --out pool.speedscope.json   (then open it in speedscope.app)',
      'perflab profile fetch.py --timeline --out fetch.trace.json     (then open it in ui.perfetto.dev)',
      'perflab profile load.py --memray --native --out load.bin       (then `memray flamegraph load.bin`)',
    ],
    async () => (await commands.profile()).profileCommand,
  );

  program
    .command('timeit')
    .description('compare two or more functions or expressions from a file, each timed in fresh processes')
    .argument('<file>', 'the Python file that defines them (its __main__ block does not run)')
    .argument('<names...>', 'zero-argument functions, or expressions such as "count_slow(TEXT)"')
    .option('--rounds <n>', 'rounds; each runs every candidate once in a fresh process', '5')
    .option('--min-batch <seconds>', 'shortest timed batch, as timeit.autorange', '0.2')
    .option('--gc', 'keep garbage collection enabled while timing (timeit disables it)')
    .option('--timeout <seconds>', 'wall-time limit for the whole comparison')
    .option('--json', 'print the result as one JSON document')
    .addOption(sandboxOption())
    .addHelpText('after', examples('perflab timeit words.py count_with_scans count_with_counter'))
    .action(act(async () => (await commands.timeit()).timeitCommand));

  program
    .command('verify')
    .description("grade a learner's files against an exercise: every check with its evidence")
    .argument(
      '[exercise]',
      'the exercise folder (holds meta.yaml); default: the exercise of the current folder made by `perflab start`',
    )
    .option(
      '--solution <path>',
      'a folder (or single file) with your versions of the editable files; default: grade the starter',
    )
    .option('--seed <n>', 'fix the hidden inputs (default: fresh every time)')
    .option('--json', 'print the whole report as one JSON document')
    .addOption(dataDirOption())
    .addOption(sandboxOption())
    .addHelpText(
      'after',
      examples(
        'perflab verify            (inside a folder made by `perflab start`: records your progress)',
        'perflab verify course/exercises/word-frequency',
        'perflab verify course/exercises/word-frequency --solution my-words.py',
      ) +
        '\n\nExit status: 0 every check passed; 1 a check failed; 4 none failed, but at least one could not be\n' +
        'decided on this machine now (too busy to show CPU scaling, or timings too noisy): run it again later',
    )
    .action(act(async () => (await commands.verify()).verifyCommand));

  program
    .command('check')
    .description(
      "for authors: every exercise's starter fails exactly its declared checks and its solution passes all; every lesson block prints what it shows; every drill has key_points; every code-reading drill's program still shows what its question claims, and its recorded output is current",
    )
    .argument('[course]', 'the course folder (default: the built-in course)')
    .option('--only <text>', 'only lessons, exercises and drills whose id or path contains this text')
    .option(
      '--retry-failed',
      'check a failing lesson or exercise once more before reporting it (both results are shown)',
    )
    .option(
      '--record-drill-outputs',
      "rewrite each code-reading drill's recorded output (course/drills/outputs/ID.json) after a run whose expect claims all hold",
    )
    .option('--json', 'print the result as JSON')
    .addOption(sandboxOption())
    .action(act(async () => (await commands.check()).checkCommand));

  program
    .command('serve')
    .description('serve the web app: the course, the exercise workspace and the profiling workbench')
    .option('--port <n>', 'port to listen on (0 picks a free one)', process.env.PERFLAB_PORT ?? '4321')
    .option(
      '--host <address>',
      'address to listen on (0.0.0.0 to reach it from other machines)',
      process.env.PERFLAB_HOST ?? '127.0.0.1',
    )
    .addOption(dataDirOption())
    .addOption(courseOption())
    .option(
      '--grace <seconds>',
      'at shutdown, how long running jobs may finish before they are cancelled',
      '10',
    )
    .option(
      '--log-level <level>',
      'fatal, error, warn, info, debug or silent',
      process.env.PERFLAB_LOG_LEVEL ?? 'info',
    )
    .option(
      '--public-url <url>',
      'also serve pages and accept changes under this origin (e.g. behind a proxy: https://perflab.example.org); repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--allow-unisolated',
      'serve even where learner code would run unisolated (no bubblewrap): code sent to the server then runs as you',
    )
    .addOption(sandboxOption())
    .addHelpText(
      'after',
      '\nEnvironment: PERFLAB_PORT, PERFLAB_HOST, PERFLAB_DATA_DIR (or PERFLAB_HOME), PERFLAB_LOG_LEVEL, PERFLAB_SANDBOX set the defaults;\nPERFLAB_PUBLIC_URL adds a public URL; PERFLAB_MAX_JOBS, PERFLAB_MAX_JOBS_PER_LEARNER, PERFLAB_MAX_STREAMS,\nPERFLAB_MAX_STREAMS_PER_LEARNER bound unfinished jobs and job streams (defaults 64, 8, 256, 16).\n' +
        examples(
          'perflab serve',
          'perflab serve --port 8080 --data-dir ./class-data',
          'perflab serve --host 0.0.0.0 --public-url http://192.168.1.20:4321',
          'PERFLAB_LOG_LEVEL=warn npm start',
        ),
    )
    .action(act(async () => (await commands.serve()).serveCommand));

  program
    .command('list')
    .description('the course: modules, lessons, exercises and challenges, with your progress')
    .addOption(courseOption())
    .addOption(dataDirOption())
    .option('--json', 'print as JSON')
    .action(act(async () => (await commands.workflow()).listCommand));

  program
    .command('start')
    .description("copy an exercise's starter files into a folder to work on in your own editor")
    .argument('<exercise>', 'exercise id (a unique prefix is enough)')
    .argument('[dir]', 'where to put it (default: ./EXERCISE-ID)')
    .addOption(courseOption())
    .addOption(dataDirOption())
    .action(act(async () => (await commands.workflow()).startCommand));

  program
    .command('hint')
    .description('the next hint for the exercise of the current folder (gentlest first)')
    .addOption(courseOption())
    .addOption(dataDirOption())
    .action(act(async () => (await commands.workflow()).hintCommand));

  program
    .command('explain')
    .description(
      'the full explanation of the exercise of the current folder (asks first: it gives the answer away)',
    )
    .option('--yes', 'do not ask')
    .addOption(courseOption())
    .addOption(dataDirOption())
    .action(act(async () => (await commands.workflow()).explainCommand));

  program
    .command('show')
    .description('render a lesson in the terminal and offer to run its examples in the sandbox')
    .argument('<lesson>', 'lesson id or file name (a unique prefix is enough)')
    .option('--run', 'run every example without asking')
    .option('--no-run', 'never run the examples')
    .addOption(courseOption())
    .addOption(dataDirOption())
    .addOption(sandboxOption())
    .action(act(async () => (await commands.workflow()).showCommand));

  program
    .command('drill')
    .description(
      'interview questions: review what is due (spaced repetition, shared with the browser), a quick-fire round, a mock interview',
    )
    .option('--module <id>', "only this module's questions (a unique start of the id is enough)")
    .option('--topic <id>', 'only questions on this topic')
    .option('--due', 'review only questions due now, no new ones')
    .option('--new <n>', 'review: new questions after the due ones (default 10)')
    .option('--quick [n]', 'a quick-fire round of N questions (default 30), each against a countdown')
    .option('--seconds <s>', 'quick-fire: seconds per question, 10-600 (default 60)')
    .option('--mock', 'a mock interview: timed parts, answers hidden until time is up, scored by key points')
    .option('--list', 'print the questions by module (new, learning, due, known, due today) and exit')
    .option('--json', 'with --list: print as JSON')
    .addOption(courseOption())
    .addOption(dataDirOption())
    .addHelpText(
      'after',
      DRILL_HELP +
        '\n' +
        examples(
          'perflab drill                           review what is due, then new questions',
          'perflab drill --due --module 03         only what is due in module 03-concurrency',
          'perflab drill --quick --topic pytest    30 questions on one topic, 60 s each',
          'perflab drill --mock                    a mock interview, to its report',
          'perflab drill --list                    how many questions are new, learning, due, known',
          'printf "reveal\\n3\\nq\\n" | perflab drill   a script grades one question "good"',
        ),
    )
    .action(act(async () => (await commands.drill()).drillCommand));

  program
    .command('doctor')
    .description(
      'check Python, the virtual environment, packages and the sandbox, and say how to fix what is missing',
    )
    .option('--json', 'print the report as JSON')
    .action(act(async () => (await commands.doctor()).doctorCommand));

  program
    .command('demo')
    .description('profile a bundled slow script (what `npm start` does)')
    .addOption(sandboxOption())
    .action(act(async () => (await commands.demo()).demoCommand));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(colour.red(`perflab: ${error.message}\n`));
      return EXIT.usage;
    }
    if (error instanceof EnvironmentError) {
      process.stderr.write(colour.red(`perflab: ${error.message}\n`));
      return 3;
    }
    process.stderr.write(colour.red(`perflab: internal error: ${(error as Error).stack ?? String(error)}\n`));
    return 70;
  }
}
