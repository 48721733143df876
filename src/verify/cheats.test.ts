/**
 * The verification engine end to end on a small exercise (fixtures/pair-count), and every
 * cheat the issue names, each shown rejected. Real grader, real sandbox, real Python.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExercise } from '../exercises/load.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { bwrapWorks } from '../sandbox/bwrap.js';
import { availableSandboxes, requireBwrap, runtime } from '../test-support/sandboxes.js';
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

/**
 * Issue 9: verdicts forged from inside the learner's worker. Each verification runs the real
 * grader in bubblewrap (never the unisolated backend: these programs read other processes'
 * memory and stop them), with a fresh random seed as `perflab verify` uses.
 */
describe.skipIf(!bwrapWorks().ok && !process.env.CI)('forged verdicts (issue 9)', () => {
  const isolatedQueue = createMemoryQueue({ concurrency: 2 });
  const isolated = new Runner(requireBwrap(), isolatedQueue);
  afterAll(() => isolatedQueue.close());
  const FORGERY_TIMEOUT_MS = 240_000;

  const hotExercise = loadExercise(
    join(import.meta.dirname, '..', '..', 'course', 'exercises', 'hidden-hot-function'),
  );

  async function verifyIsolated(
    target: typeof exercise | Promise<typeof exercise>,
    file: string,
    source: string,
  ): Promise<VerifyReport> {
    return verifyExercise(
      await target,
      { [file]: source },
      { runner: isolated, runtime, gradedLabel: 'test' },
    );
  }

  async function hotStarter(): Promise<string> {
    return (await hotExercise).starter['report.py'] as string;
  }

  // The worker's reply channel and encoder, reached from the learner's function through the
  // frames of the worker's request loop.
  const LOOP_SCOPE = `
import sys as _sys
_real_build_report = build_report
_forged = []

def _loop_scope():
    frame = _sys._getframe(2)
    while frame is not None and not ("send" in frame.f_locals and "encode" in frame.f_locals):
        frame = frame.f_back
    return None if frame is None else frame.f_locals
`;

  it(
    'relative speed: the unchanged starter writing "done" before computing is not 27× faster',
    async () => {
      const forgery = `${LOOP_SCOPE}
def build_report(orders):
    scope = _loop_scope()
    if scope is None or _forged:
        return _real_build_report(orders)
    _forged.append(True)
    request = scope.get("request") or {}
    scope["send"]('{"done":true}')
    if request.get("op") == "call_each":
        value = [_real_build_report(*args, **kwargs) for args, kwargs in request["inputs"]]
    else:
        value = _real_build_report(orders)
    scope["send"]('{"ok":true,"value":' + scope["encode"](value) + '}')
    return value
`;
      const report = await verifyIsolated(hotExercise, 'report.py', (await hotStarter()) + forgery);
      const speed = check(report, 'fast-enough');
      expect(speed.passed, speed.sentence).toBe(false);
      expect(speed.sentence).toMatch(/garbled reply|wrong result/);
      expect(report.passed).toBe(false);
    },
    FORGERY_TIMEOUT_MS,
  );

  it(
    'relative speed: a complete-looking reply with made-up results, sent before the work, fails',
    async () => {
      const forgery = `${LOOP_SCOPE}
def build_report(orders):
    scope = _loop_scope()
    if scope is None or _forged:
        return _real_build_report(orders)
    _forged.append(True)
    request = scope.get("request") or {}
    made_up = [[] for _ in request["inputs"]] if request.get("op") == "call_each" else []
    scope["send"]('{"ok":true,"value":' + scope["encode"](made_up) + '}')
    return _real_build_report(orders)
`;
      const report = await verifyIsolated(hotExercise, 'report.py', (await hotStarter()) + forgery);
      const speed = check(report, 'fast-enough');
      expect(speed.passed, speed.sentence).toBe(false);
      expect(speed.sentence).toMatch(/wrong result|garbled reply/);
    },
    FORGERY_TIMEOUT_MS,
  );

  it(
    'the reference solution cannot be read from /proc/<pid>/mem by learner code',
    async () => {
      // A line only the reference solution has.
      const secret = 'once per report, which keeps';
      expect((await hotExercise).solution['report.py']).toContain(secret);
      const peeker = `
import os as _os
_peeked = []
_MARK = ${JSON.stringify(secret)}.encode()

def _peek():
    me = _os.getpid()
    for name in _os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/maps") as maps:
                regions = [line.split() for line in maps]
            with open(f"/proc/{name}/mem", "rb", buffering=0) as memory:
                for fields in regions:
                    if len(fields) < 2 or not fields[1].startswith("rw"):
                        continue
                    start, end = (int(x, 16) for x in fields[0].split("-"))
                    if end - start > 256 << 20:
                        continue
                    try:
                        memory.seek(start)
                        data = memory.read(end - start)
                    except OSError:
                        continue
                    at = data.find(_MARK)
                    if at >= 0:
                        return data[max(0, at - 400) : at + 400].decode("utf-8", "replace")
        except OSError:
            continue
    return None

_real_build_report = build_report

def build_report(orders):
    if not _peeked:
        _peeked.append(True)
        found = _peek()
        if found:
            raise RuntimeError("LEAKED " + found)
    return _real_build_report(orders)
`;
      const report = await verifyIsolated(hotExercise, 'report.py', (await hotStarter()) + peeker);
      const shown = JSON.stringify(report);
      expect(shown).not.toContain('LEAKED');
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain('def read_rates');
      expect(check(report, 'fast-enough').passed).toBe(false);
    },
    FORGERY_TIMEOUT_MS,
  );

  it(
    'hidden inputs: the job file learner code can read does not name the seed',
    async () => {
      // With the seed and the course's input functions (the course is public), a learner
      // module could compute every hidden input and its answer at import, before any clock runs.
      const probe = `
import json, os

def count_pairs(numbers, target):
    with open(os.environ.get("PERFLAB_JOB_FILE", "/perflab/job.json")) as job:
        grade = json.load(job).get("grade", {})
    raise RuntimeError("SEED-" + ("VISIBLE" if "seed" in grade else "HIDDEN"))
`;
      const report = await verifyIsolated(exercise, 'pairs.py', probe);
      const correct = check(report, 'correct');
      expect(correct.sentence).toContain('SEED-HIDDEN');
      expect(correct.sentence).not.toContain('SEED-VISIBLE');
    },
    FORGERY_TIMEOUT_MS,
  );

  it(
    'slowing the baseline: a daemon that stops the starter’s worker and burns CPU gains nothing',
    async () => {
      // Left behind at import by a learner worker (one at a time), in a session of its own
      // (killing the worker's process group misses it): it keeps every worker that is not the
      // learner's stopped (SIGSTOP) 80 ms out of every 85 ms and spins meanwhile.
      const saboteur = `
import os as _os, signal as _signal, time as _time

def _sabotage():
    me = _os.getpid()
    while True:
        victims = []
        for name in _os.listdir("/proc"):
            if not name.isdigit() or int(name) == me:
                continue
            try:
                with open(f"/proc/{name}/cmdline", "rb") as cmdline:
                    if b"grade_worker" not in cmdline.read():
                        continue
                if _os.path.exists(f"/proc/{name}/cwd/pairs.py"):
                    continue
            except OSError:
                continue
            victims.append(int(name))
        for pid in victims:
            try:
                _os.kill(pid, _signal.SIGSTOP)
            except OSError:
                pass
        spin_until = _time.monotonic() + 0.08
        while _time.monotonic() < spin_until:
            pass
        for pid in victims:
            try:
                _os.kill(pid, _signal.SIGCONT)
            except OSError:
                pass
        _time.sleep(0.005)

def _running(path):
    try:
        with open(path) as record, open(f"/proc/{int(record.read())}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, ValueError):
        return False

if not _running("/tmp/.saboteur-pid"):
    if _os.fork() == 0:
        _os.setsid()
        if _os.fork() == 0:
            try:
                with open("/tmp/.saboteur-pid", "w") as record:
                    record.write(str(_os.getpid()))
                _sabotage()
            finally:
                _os._exit(0)
        _os._exit(0)
    _os.wait()
`;
      const report = await verifyIsolated(exercise, 'pairs.py', saboteur + STARTER);
      const speed = check(report, 'fast-enough');
      expect(speed.passed, speed.sentence).toBe(false);
      expect(speed.sentence).toMatch(/not yet fast enough/);
    },
    FORGERY_TIMEOUT_MS,
  );
});
