/**
 * Issue 9: verdicts forged from inside the learner's worker (split from cheats.test.ts). Each
 * verification runs the real grader in bubblewrap (never the unisolated backend: these
 * programs read other processes' memory and stop them), with a fresh random seed as
 * `perflab verify` uses.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExercise } from '../exercises/load.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { bwrapWorks } from '../sandbox/bwrap.js';
import { requireBwrap, runtime } from '../test-support/sandboxes.js';
import { verifyExercise, type VerifyReport } from './engine.js';

const exercise = await loadExercise(join(import.meta.dirname, 'fixtures', 'pair-count'));
const STARTER = exercise.starter['pairs.py'] as string;

function check(report: VerifyReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

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

  /** A build_report that, on its first call from the worker's loop, runs `body` with the loop's scope and request. */
  const early = (body: string) => `${LOOP_SCOPE}
def build_report(orders):
    scope = _loop_scope()
    if scope is None or _forged:
        return _real_build_report(orders)
    _forged.append(True)
    request = scope.get("request") or {}
${body}`;

  /** Forgeries that reply for the learner's function before (or instead of) the work. */
  const EARLY_REPLIES: [string, string][] = [
    [
      'the unchanged starter writing "done" before computing is not 27× faster',
      early(`    scope["send"]('{"done":true}')
    if request.get("op") == "call_each":
        value = [_real_build_report(*args, **kwargs) for args, kwargs in request["inputs"]]
    else:
        value = _real_build_report(orders)
    scope["send"]('{"ok":true,"value":' + scope["encode"](value) + '}')
    return value
`),
    ],
    [
      'a complete-looking reply with made-up results, sent before the work, fails',
      early(`    made_up = [[] for _ in request["inputs"]] if request.get("op") == "call_each" else []
    scope["send"]('{"ok":true,"value":' + scope["encode"](made_up) + '}')
    return _real_build_report(orders)
`),
    ],
  ];

  it.each(EARLY_REPLIES)(
    'relative speed: %s',
    async (_name, forgery) => {
      const report = await verifyIsolated(hotExercise, 'report.py', (await hotStarter()) + forgery);
      const speed = check(report, 'fast-enough');
      expect(speed.passed, speed.sentence).toBe(false);
      expect(speed.sentence).toMatch(/garbled reply|wrong result/);
      expect(report.passed).toBe(false);
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
