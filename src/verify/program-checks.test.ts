/**
 * Forged verdicts of the program-level checks (issue 9), each shown rejected: a race check
 * fooled by printing memorised totals when the switch interval is tiny, a hang check fooled
 * the same way, memory checks fooled by rewriting the harness's own figures or by doing
 * nothing at all, and a tests-of-tests check fooled by a test that only recognises the
 * correct file's hash — whose evidence must not show the hidden mutants either.
 * Built-in course exercises, the real sandbox (bubblewrap where it works), real Python.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuthoredCheck, Exercise, FileTree } from '../core/exercise.js';
import { ExerciseError, loadExercise } from '../exercises/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { availableSandboxes, runtime } from '../test-support/sandboxes.js';
import { learnerTree } from '../core/exercise-workspace.js';
import type { AnyJobReport } from '../runner/runner.js';
import { peakFigures, programCheck, verdictPeakMb } from './program-checks.js';

const sandbox = (availableSandboxes()[0] as { make: () => import('../sandbox/types.js').Sandbox }).make();
const queue = createMemoryQueue({ concurrency: 2 });
const runner = new Runner(sandbox, queue);
afterAll(() => queue.close());

async function exerciseOf(id: string): Promise<Exercise> {
  return loadExercise(join(PROJECT_ROOT, 'course', 'exercises', id));
}

/** One program-level check of a course exercise, graded on the learner's edits. */
async function runCheck(exercise: Exercise, checkId: string, edits: FileTree, seed = 7) {
  const check = exercise.meta.checks.find((c) => c.id === checkId) as AuthoredCheck;
  if (!check) throw new Error(`no check ${checkId}`);
  return programCheck(check, exercise, learnerTree(exercise, edits), { runner, runtime, seed });
}

/** `source` with `prelude` put after its module docstring (so `from __future__` stays legal). */
function withPrelude(source: string, prelude: string): string {
  const docstringEnd = source.indexOf('"""', 3) + 3;
  return `${source.slice(0, docstringEnd)}\n${prelude}\n${source.slice(docstringEnd)}`;
}

const IDLE = 'import os as _os\n_os._exit(0)';

/**
 * Forged programs, each with what it forges: `prelude` is put in `file` (the exercise's
 * starter or solution version) after its docstring, and `sentence` is what the failed
 * check must say.
 */
const FORGERIES = [
  {
    what: 'the racy starter printing memorised totals whenever the switch interval is tiny',
    exercise: 'racy-counter',
    check: 'same-totals-every-run',
    file: 'tally.py',
    base: 'starter',
    prelude: [
      'import os as _os, sys as _sys',
      'if _os.environ.get("PERFLAB_SWITCH_INTERVAL_S") or _sys.getswitchinterval() < 1e-3:',
      '    print("orders: 20000")',
      '    print("revenue: 2882134.67")',
      '    raise SystemExit(0)',
    ].join('\n'),
    sentence: /of 30 runs on 3 hidden inputs printed something other than the reference/,
  },
  {
    what: 'a program printing the memorised summary instead of running the summariser (hang)',
    exercise: 'stdin-hang',
    check: 'finishes-at-a-terminal',
    file: 'report.py',
    base: 'starter',
    prelude:
      'print("Nightly builds: 28 runs")\nprint("count=28 mean=411.1 median=371.6 max=1184.6")\nraise SystemExit(0)',
    sentence: /the reference solution's output on the same hidden input/,
  },
  {
    what: "leaky-cache's starter rewriting the harness's resource figures (the kernel's count)",
    exercise: 'leaky-cache',
    check: 'bounded-memory',
    file: 'catalogue.py',
    base: 'starter',
    prelude: [
      'import sys as _sys',
      '_result = _sys.modules.get("perflab_harness.result")',
      'if _result is not None:',
      '    _result.resource_usage_fields = lambda: {"selfMaxRssKb": 20000, "childrenMaxRssKb": 0, "cpuUserMs": 1.0, "cpuSystemMs": 1.0}',
    ].join('\n'),
    sentence: /^peak memory \d{3,}\.\d MB/,
  },
  {
    what: 'a program that allocates nothing and prints nothing (memory peak)',
    exercise: 'leaky-cache',
    check: 'bounded-memory',
    file: 'catalogue.py',
    base: 'starter',
    prelude: IDLE,
    sentence: /the reference solution's output on the same hidden input/,
  },
  {
    what: 'a streaming program that prints nothing',
    exercise: 'whole-file-log-search',
    check: 'flat-memory',
    file: 'search.py',
    base: 'solution',
    prelude: IDLE,
    sentence: /^at 1× input, the program printed ""/,
  },
] as const;

describe('forged program-level verdicts are rejected', () => {
  it.each(FORGERIES)(
    '$exercise/$check fails $what',
    async ({ exercise: id, check, file, base, prelude, sentence }) => {
      const exercise = await exerciseOf(id);
      const forged = withPrelude(exercise[base][file] as string, prelude);
      const result = await runCheck(exercise, check, { [file]: forged });
      expect(result.passed).toBe(false);
      expect(result.sentence).toMatch(sentence);
    },
  );
});

describe('reference solutions pass the program-level checks', () => {
  it.each([
    ['stdin-hang', 'finishes-at-a-terminal'],
    ['leaky-cache', 'bounded-memory'],
    ['whole-file-log-search', 'flat-memory'],
  ])('%s/%s', async (id, check) => {
    const exercise = await exerciseOf(id);
    expect((await runCheck(exercise, check, exercise.solution)).passed).toBe(true);
  });

  it('racy-counter, and the learner never sees the switch-interval variable', async () => {
    const exercise = await exerciseOf('racy-counter');
    const probe = withPrelude(
      exercise.solution['tally.py'] as string,
      // Exits non-zero (a failed run) if anything in the environment names the switch interval.
      'import os as _os\nif any("SWITCH" in _k for _k in _os.environ):\n    raise SystemExit(3)',
    );
    const result = await runCheck(exercise, 'same-totals-every-run', { 'tally.py': probe });
    expect(result.sentence).not.toMatch(/went wrong/);
    expect(result.passed).toBe(true);
  });
});

describe('the memory figure a verdict rests on', () => {
  /** A run report as the runner gives it, with only the fields the figures read. */
  const report = (documentKb: number | null, kernelKb: number) =>
    ({
      document: documentKb === null ? null : { selfMaxRssKb: documentKb, childrenMaxRssKb: 0 },
      outcome: { peakMemoryKb: kernelKb },
    }) as unknown as AnyJobReport;

  it('does not believe a document that claims less than the kernel measured', () => {
    // The forgery: the document said 19.5 MB, the cgroup saw ~315 MB.
    const figures = peakFigures(report(19.5 * 1024, 315 * 1024), [{ path: 'a.py', content: 'x' }]);
    expect(verdictPeakMb(figures)).toBeGreaterThan(314);
  });

  it("leaves out the staged files, which sit in the run's tmpfs and count in its cgroup", () => {
    const data = { path: 'input.data', content: new Uint8Array(40 * 1024 * 1024) };
    const figures = peakFigures(report(12 * 1024, 52 * 1024 + 300), [data]);
    expect(verdictPeakMb(figures)).toBeCloseTo(12.3, 1);
  });

  it('uses the kernel figure when there is no document', () => {
    expect(verdictPeakMb(peakFigures(report(null, 80 * 1024), []))).toBe(80);
  });
});

describe('tests-of-tests: several correct implementations, no hidden source in the evidence', () => {
  it('fails tests that only recognise the correct file by its hash', async () => {
    const exercise = await exerciseOf('flaky-clock-test');
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256')
      .update(exercise.starter['retry.py'] as string)
      .digest('hex');
    const forged = [
      'import hashlib',
      'from pathlib import Path',
      '',
      '',
      'def test_retry_is_the_correct_one():',
      `    assert hashlib.sha256(Path("retry.py").read_bytes()).hexdigest() == "${sha}"`,
      '',
    ].join('\n');
    const result = await runCheck(exercise, 'tests-catch-bugs', { 'test_retry.py': forged });
    expect(result.passed).toBe(false);
    expect(result.sentence).toMatch(/your tests fail on 3 of 4 correct implementations/);
  });

  it('shows no line of a hidden implementation, even when the tests print the file under test', async () => {
    const exercise = await exerciseOf('flaky-clock-test');
    // Fails everywhere, with the file under test (a mutant or a correct version) as the message.
    const leaking = [
      'from pathlib import Path',
      '',
      '',
      'def test_show_me():',
      '    source = Path("retry.py").read_text()',
      '    print(source)',
      '    # Lines that look like what the evidence keeps, carrying the file (hex-encoded).',
      '    print("FAILED test_retry.py::test_" + source.encode().hex()[:2000])',
      '    print("test_retry.py:3: in x" + source.encode().hex()[:2000])',
      '    raise type("Leak" + source.encode().hex()[:2000], (Exception,), {})(source)',
      '',
    ].join('\n');
    const result = await runCheck(exercise, 'tests-catch-bugs', { 'test_retry.py': leaking });
    expect(result.passed).toBe(false);
    const shown = JSON.stringify(result);
    expect(shown).not.toMatch(/[0-9a-f]{40}/);
    // What it may show: which of the learner's tests failed, and where in the learner's file.
    const correct = result.kind === 'tests-of-tests' ? (result.evidence.correct ?? []) : [];
    expect(correct[0]?.failedTests).toEqual(['test_retry.py::test_show_me']);
    expect(correct[0]?.where).toEqual([expect.stringMatching(/^test_retry\.py:\d+: in test_show_me$/)]);
    const visible = new Set(
      Object.values(exercise.starter).flatMap((source) => source.split('\n').map((l) => l.trim())),
    );
    const hidden = Object.entries(exercise.tests).filter(([path]) => path.endsWith('.py'));
    for (const [path, source] of hidden) {
      // Every line of a hidden file that the learner's own files do not already hold.
      for (const line of source.split('\n').map((l) => l.trim())) {
        if (line.length < 12 || visible.has(line)) continue;
        expect(shown, `${path}: ${line}`).not.toContain(JSON.stringify(line).slice(1, -1));
      }
    }
  });

  it('passes the reference tests on every correct implementation', async () => {
    const exercise = await exerciseOf('flaky-clock-test');
    const result = await runCheck(exercise, 'tests-catch-bugs', exercise.solution);
    expect(result.sentence).toMatch(/catch all 8 broken versions/);
    expect(result.passed).toBe(true);
  });
});

describe('exercise validation of the new fields', () => {
  /** Problems reported for a copy of a course exercise whose meta.yaml is edited by `edit`. */
  async function problemsOf(id: string, edit: (meta: string) => string, removeTests: string[] = []) {
    const dir = mkdtempSync(join(tmpdir(), 'perflab-exercise-'));
    try {
      cpSync(join(PROJECT_ROOT, 'course', 'exercises', id), dir, { recursive: true });
      for (const path of removeTests) rmSync(join(dir, 'tests', path), { recursive: true });
      writeFileSync(join(dir, 'meta.yaml'), edit(readFileSync(join(dir, 'meta.yaml'), 'utf8')));
      await loadExercise(dir);
      return [];
    } catch (error) {
      if (error instanceof ExerciseError) return error.problems;
      throw error;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a tests-of-tests check needs at least two correct implementations', async () => {
    const problems = await problemsOf('flaky-clock-test', (m) => m, [
      'correct/lazy_delays.py',
      'correct/bounded_loop.py',
    ]);
    expect(problems).toEqual([
      expect.stringMatching(
        /meta\.yaml:\d+: checks\.0\.correct: needs at least 2 correct implementations .* found 1$/,
      ),
    ]);
  });

  it('a race check needs hidden data, and a fixed expected output is no longer accepted', async () => {
    const problems = await problemsOf('racy-counter', (m) =>
      m.replace(/ {4}data: .*\n/, '    expectStdout: "orders: 20000\\n"\n'),
    );
    expect(problems.join('\n')).toMatch(/checks\.0\.data: /);
    expect(problems.join('\n')).toMatch(/expectStdout/);
  });

  it('hidden data may not replace an editable file', async () => {
    const problems = await problemsOf('racy-counter', (m) =>
      m.replace('dataFile: orders.csv', 'dataFile: tally.py'),
    );
    expect(problems).toEqual([expect.stringMatching(/checks\.0\.dataFile: tally\.py is an editable file/)]);
  });
});
