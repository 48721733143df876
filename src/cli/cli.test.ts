/**
 * The built `perflab` command as a user runs it (npm test builds dist/ first): real
 * processes, real sandbox, exit statuses and messages for good and bad input.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileWriter, ROOT, scratchDir, spawnPerflab } from './cli.test-support.js';

const scratch = scratchDir('perflab-cli');
/** A private TMPDIR for the CLI processes, so "nothing left behind" is checked without other tests' runs. */
const cliTmp = scratchDir('perflab-cli-tmp');

const perflab = (...args: string[]) => spawnPerflab(args, { env: { TMPDIR: cliTmp } });

const write = fileWriter(scratch);

/** `perflab run` of a script written into the scratch folder. */
const runScript = (name: string, source: string, ...args: string[]) =>
  perflab('run', write(name, source), ...args);

function leftoverRunDirs(): string[] {
  const base = join(cliTmp, `perflab-runs-${process.getuid?.() ?? 'user'}`);
  return existsSync(base) ? readdirSync(base) : [];
}

describe('perflab profile', () => {
  it('names str.count as the hot spot of the word-frequency example, with its call count', () => {
    const result = perflab('profile', join(ROOT, 'examples', 'word_frequency.py'), '--json');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      hotSpot: { name: string; ncalls: number };
      profile: { outcome: { output: { text: string }[] } };
    };
    const printed = doc.profile.outcome.output.map((c) => c.text).join('');
    const distinct = Number(/(\d+) distinct/.exec(printed)?.[1]);
    expect(doc.hotSpot.name).toBe('str.count');
    expect(doc.hotSpot.ncalls).toBe(distinct);
  });

  it('prints an aligned table and the hot spot sentence, and saves speedscope and pstats files', () => {
    const speedscope = join(scratch, 'words.speedscope.json');
    const result = perflab(
      'profile',
      join(ROOT, 'examples', 'word_frequency.py'),
      '--top',
      '5',
      '--out',
      speedscope,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ncalls\s+tottime\s+percall\s+cumtime\s+percall\s+function/);
    expect(result.stdout).toMatch(/Hot spot: str\.count — [\d,]+ calls/);
    const file = JSON.parse(readFileSync(speedscope, 'utf8')) as { profiles: { type: string }[] };
    expect(file.profiles[0]?.type).toBe('sampled');
    const prof = join(scratch, 'words.prof');
    expect(perflab('profile', join(ROOT, 'examples', 'word_frequency.py'), '--out', prof).code).toBe(0);
    const check = spawnSync(
      join(ROOT, '.venv', 'bin', 'python'),
      ['-c', `import pstats; s = pstats.Stats(${JSON.stringify(prof)}); print(s.total_calls > 0)`],
      { encoding: 'utf8' },
    );
    expect(check.stdout.trim()).toBe('True');
  });
});

describe('perflab run', () => {
  it('prints exactly one JSON document with --json', () => {
    const result = perflab('run', write('hello.py', 'print("hello")\n'), '--json');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { schema: string; status: string };
    expect(doc).toMatchObject({ schema: 'perflab.cli.run/1', status: 'ok' });
  });

  it('streams the program output and a summary line', () => {
    const result = perflab('run', write('hi.py', 'print("hi there")\n'));
    expect(result.stdout).toBe('hi there\n');
    expect(result.stderr).toMatch(/✓ exited 0 · wall .* · CPU .* · peak memory .* · \d+ CPUs/);
  });

  it('passes arguments after -- to the program', () => {
    const result = runScript('args.py', 'import sys\nprint(sys.argv[1:])\n', '--', '--flag', 'value');
    expect(result.stdout).toBe("['--flag', 'value']\n");
  });

  it('exits 1 with the limit named when the program hangs on stdin', () => {
    const result = runScript('ask.py', 'input("name? ")\n', '--stdin', 'terminal', '--timeout', '1.5');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('timeout');
    expect(result.stderr).toContain('blocked reading stdin');
  });
});

describe('perflab with bad input', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['a missing file', ['run', join(scratch, 'nope.py')], 2, /no such file/],
    ['a directory', ['run', scratch], 2, /is a directory/],
    ['an empty file', ['run', write('empty.py', '')], 2, /is empty/],
    [
      'a binary file',
      ['run', write('binary.py', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]))],
      2,
      /binary/,
    ],
    [
      'non-UTF-8 source',
      ['run', write('latin.py', Buffer.from('print("caf\xe9")\n', 'latin1'))],
      2,
      /not valid UTF-8 .*line 1/,
    ],
    ['a syntax error', ['run', write('syntax.py', 'x = (\n')], 1, /SyntaxError.*syntax\.py:1/s],
    [
      'an unknown flag',
      ['run', write('ok.py', 'pass\n'), '--frobnicate'],
      2,
      /unknown option '--frobnicate'/,
    ],
    [
      'a negative timeout',
      ['run', write('ok2.py', 'pass\n'), '--timeout', '-3'],
      2,
      /--timeout must be a positive number/,
    ],
    ['an absurd timeout', ['run', write('ok3.py', 'pass\n'), '--timeout', '1e9'], 2, /above the hard cap/],
    ['an absurd memory limit', ['run', write('ok4.py', 'pass\n'), '--memory', '5'], 2, /--memory/],
    [
      'a bad --sort',
      ['profile', write('ok5.py', 'pass\n'), '--sort', 'speed'],
      2,
      /Allowed choices are cumulative, tottime, calls/,
    ],
    ['a bad --out', ['profile', write('ok6.py', 'pass\n'), '--out', 'x.txt'], 2, /--out must end in/],
    ['a single timeit candidate', ['timeit', write('ok7.py', 'def f(): pass\n'), 'f'], 2, /two or more/],
    ['an unknown command', ['frobnicate'], 2, /unknown command/],
  ];
  it.each(cases)('rejects %s with a clear message', (_name, args, code, message) => {
    const result = perflab(...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it('leaves nothing behind on disk', () => {
    expect(leftoverRunDirs()).toEqual([]);
  });
});

describe('perflab doctor', () => {
  it('reports interpreter, packages, sandbox and CPUs as JSON', () => {
    const result = perflab('doctor', '--json');
    const doc = JSON.parse(result.stdout) as {
      schema: string;
      developerTools: { command: string; installed: boolean }[];
      python: { interpreter: { version: string }; packages: { name: string; installed: string | null }[] };
      sandbox: { backend: string; isolated: boolean };
      cpus: number;
    };
    expect(doc.python.interpreter.version).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.python.packages.map((p) => p.name)).toEqual(
      expect.arrayContaining(['pytest', 'line_profiler', 'numpy', 'cffi']),
    );
    expect(doc.cpus).toBeGreaterThanOrEqual(1);
    expect(['bubblewrap', 'process']).toContain(doc.sandbox.backend);
    expect(doc.schema).toBe('perflab.doctor/2');
    expect(doc.developerTools.map((t) => t.command)).toEqual(['chromium', 'wrk']);
  });
});
