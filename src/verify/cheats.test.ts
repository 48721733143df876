/**
 * The verification engine end to end on a small exercise (fixtures/pair-count), and every
 * cheat the issue names, each shown rejected. Real grader, real sandbox, real Python.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExercise } from '../exercises/load.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { availableSandboxes, runtime } from '../test-support/sandboxes.js';
import { verifyExercise, type VerifyReport } from './engine.js';

const sandbox = (availableSandboxes()[0] as { make: () => import('../sandbox/types.js').Sandbox }).make();
const queue = createMemoryQueue({ concurrency: 2 });
const runner = new Runner(sandbox, queue);
afterAll(() => queue.close());

const exercise = await loadExercise(join(import.meta.dirname, 'fixtures', 'pair-count'));
const SOLUTION = exercise.solution['pairs.py'] as string;
const STARTER = exercise.starter['pairs.py'] as string;

function verify(source: string | null, seed = 11): Promise<VerifyReport> {
  return verifyExercise(exercise, source === null ? {} : { 'pairs.py': source }, {
    runner,
    runtime,
    gradedLabel: 'test',
    seed,
  });
}

function check(report: VerifyReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

describe('verification of a fixed exercise', () => {
  it('fails the starter on exactly the declared checks, with evidence', async () => {
    const report = await verify(null);
    expect(
      report.checks
        .filter((c) => !c.passed)
        .map((c) => c.id)
        .sort(),
    ).toEqual(['fast-enough', 'grows-linearly']);
    expect(check(report, 'correct').sentence).toMatch(/all \d+ hidden cases match/);
    expect(check(report, 'fast-enough').sentence).toMatch(/faster than the starter; needs at least 4×/);
    expect(check(report, 'grows-linearly').sentence).toMatch(/grows like n²/);
  });

  it('passes the reference solution on every check', async () => {
    const report = await verify(SOLUTION);
    expect(report.checks.map((c) => [c.id, c.passed])).toEqual([
      ['correct', true],
      ['fast-enough', true],
      ['grows-linearly', true],
    ]);
    expect(report.passed).toBe(true);
    const speed = check(report, 'fast-enough').evidence as { speedup: number; interval: number[] };
    expect(speed.interval[0]).toBeGreaterThanOrEqual(4);
  });

  it('shows a wrong answer with expected and actual values, not the hidden test source', async () => {
    const report = await verify(
      SOLUTION.replace('count += seen.get(target - value, 0)', 'count += 1 if target - value in seen else 0'),
    );
    const correct = check(report, 'correct');
    expect(correct.passed).toBe(false);
    expect(correct.sentence).toMatch(
      /hidden cases differ from the reference; first: count_pairs\(.*\) returned \d+, expected \d+/,
    );
    expect(correct.sentence).not.toContain('def cases');
  });
});

describe('cheats are rejected', () => {
  it.each([
    ['os._exit(0) at import', 'import os\nos._exit(0)\n'],
    ['sys.exit(0) at import', 'import sys\nsys.exit(0)\n'],
  ])('exiting early: %s', async (_name, prefix) => {
    const report = await verify(prefix + SOLUTION);
    expect(report.passed).toBe(false);
    for (const id of ['correct', 'fast-enough']) expect(check(report, id).passed).toBe(false);
    expect(check(report, 'correct').sentence).toMatch(/ended|exit/i);
  });

  it('printing a fake result', async () => {
    const fake =
      'print(\'{"schema": "perflab.harness/1", "passed": true, "measurements": []}\')\nprint("ALL CHECKS PASSED")\n';
    const report = await verify(fake + STARTER);
    expect(check(report, 'fast-enough').passed).toBe(false);
    expect(report.passed).toBe(false);
  });

  it('monkeypatching time, gc and perflab’s own modules to tilt the speed ratio', async () => {
    const patches = `
import gc, time, sys
time.perf_counter = lambda: 0.0
time.perf_counter_ns = lambda: 0
time.monotonic = lambda: 0.0
time.sleep = lambda s: None
gc.disable = gc.enable = gc.collect = lambda *a, **k: 0
for name in list(sys.modules):
    if name.startswith("perflab"):
        sys.modules[name] = None
`;
    const report = await verify(patches + STARTER);
    expect(check(report, 'fast-enough').passed).toBe(false);
    expect(check(report, 'grows-linearly').passed).toBe(false);
  });

  it('carrying answers between repeats in files and module globals', async () => {
    const cache = `
import json, os
_CACHE_FILE = "/tmp/pair-answers.json"
_memo = {}
${STARTER.replace('def count_pairs(numbers, target):', 'def _slow(numbers, target):')}
def count_pairs(numbers, target):
    key = repr((numbers, target))
    if key in _memo:
        return _memo[key]
    stored = json.load(open(_CACHE_FILE)) if os.path.exists(_CACHE_FILE) else {}
    if key in stored:
        return stored[key]
    answer = _slow(numbers, target)
    _memo[key] = stored[key] = answer
    json.dump(stored, open(_CACHE_FILE, "w"))
    return answer
`;
    const report = await verify(cache);
    expect(check(report, 'correct').passed).toBe(true);
    expect(check(report, 'fast-enough').passed).toBe(false);
  });

  it('detecting the grader and special-casing it', async () => {
    const detect = `
import os, sys
GRADED = any(k.startswith("PERFLAB") for k in os.environ) or "grade" in open("/proc/self/cmdline").read()
${STARTER}
_real = count_pairs
def count_pairs(numbers, target):
    # Under grading, pretend: answer 0 instantly.
    return 0 if GRADED else _real(numbers, target)
`;
    const report = await verify(detect);
    expect(report.passed).toBe(false);
    expect(check(report, 'correct').passed).toBe(false);
  });

  it('hard-coding the visible example inputs', async () => {
    const hardCoded = `
${STARTER}
_real = count_pairs
def count_pairs(numbers, target):
    if numbers == [1, 2, 3, 4] and target == 5:
        return 2
    return 0
`;
    const report = await verify(hardCoded);
    expect(check(report, 'correct').passed).toBe(false);
  });

  it('memoising repeated identical calls inside one timed sample', async () => {
    const memo = `
${STARTER.replace('def count_pairs(numbers, target):', 'def _slow(numbers, target):')}
_last = {}
def count_pairs(numbers, target):
    key = (tuple(numbers), target)
    if key not in _last:
        _last.clear()
        _last[key] = _slow(numbers, target)
    return _last[key]
`;
    const report = await verify(memo);
    expect(check(report, 'correct').passed).toBe(true);
    expect(check(report, 'fast-enough').passed).toBe(false);
  });
});

const testsExercise = await loadExercise(
  join(import.meta.dirname, '..', '..', 'course', 'exercises', 'patch-wrong-place'),
);

describe('cheats against tests of tests are rejected', () => {
  const fixedTests = testsExercise.solution['test_weather_report.py'] as string;

  function verifyTests(source: string): Promise<VerifyReport> {
    return verifyExercise(
      testsExercise,
      { 'test_weather_report.py': source },
      { runner, runtime, gradedLabel: 'test', seed: 3 },
    );
  }

  it('accepts the honest fix', async () => {
    expect((await verifyTests(fixedTests)).passed).toBe(true);
  });

  it.each([
    ['ending the test process with status 0', 'import os\nos._exit(0)\n'],
    [
      'monkeypatching pytest so every test passes',
      'import pytest\npytest.fail = lambda *a, **k: None\nimport _pytest.python\n_pytest.python.Function.runtest = lambda self: None\n',
    ],
  ])('%s', async (_name, cheat) => {
    const report = await verifyTests(cheat + fixedTests);
    const result = report.checks[0];
    expect(result?.passed).toBe(false);
    expect(result?.sentence).toMatch(/broken versions|fail against the correct/);
  });
});
