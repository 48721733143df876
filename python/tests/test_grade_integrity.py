"""Grade mode against hostile learner code: cheats, forged replies, peeking and sabotage get
a sentence, never a fast measurement; hidden inputs stay hidden."""

import statistics

from grade_support import (
    PAIRS_INPUTS,
    PAIRS_LINEAR,
    PAIRS_QUADRATIC,
    correctness,
    dedent,
    growth,
    run_grade,
    speed,
    time_ratio,
)

FRAME_HACK = """
    import sys as _sys

    def _loop_scope():
        frame = _sys._getframe(2)
        while frame is not None and not ("send" in frame.f_locals and "encode" in frame.f_locals):
            frame = frame.f_back
        return None if frame is None else frame.f_locals
"""

# Both forgers: the honest quadratic count as _slow, and a count_pairs that forges once, from
# the worker's request loop (the frame that holds send and encode); each forges its own way.
FORGER_HEAD = (
    FRAME_HACK
    + PAIRS_QUADRATIC.replace("def count_pairs", "def _slow")
    + """
    _forged = []

    def count_pairs(xs):
        scope = _loop_scope()
        if scope is None or _forged:
            return _slow(xs)
        _forged.append(True)
        request = scope.get("request") or {}
"""
)

FORGERS = {
    "entry.py": "",
    # The forgery: a "done" frame first, then the work, then the (correct) results.
    "done_first.py": FORGER_HEAD
    + """
        scope["send"]('{"done":true}')
        if request.get("op") == "call_each":
            value = [_slow(*args, **kwargs) for args, kwargs in request["inputs"]]
        else:
            value = _slow(xs)
        scope["send"]('{"ok":true,"value":' + scope["encode"](value) + "}")
        return value
""",
    # The same against a grader that stops its clock on a complete reply: a complete-looking
    # reply at once, with made-up results, and the real work afterwards.
    "reply_first.py": FORGER_HEAD
    + """
        value = [0] * len(request["inputs"]) if request.get("op") == "call_each" else 0
        scope["send"]('{"ok":true,"value":' + scope["encode"](value) + "}")
        return _slow(xs)
""",
}


def test_a_reply_before_the_work_is_never_a_fast_measurement(harness):
    checks = [
        speed("done-first", "done_first.count_pairs", "starter", rounds=2),
        speed("reply-first", "reply_first.count_pairs", "starter", rounds=2),
        speed("done-first-vs-reference", "done_first.count_pairs", "reference", rounds=2),
        growth("done-first-growth", "done_first.count_pairs", [100, 200, 400, 800], repeats=2),
        growth("reply-first-growth", "reply_first.count_pairs", [100, 200, 400, 800], repeats=2),
    ]
    reference = {name: PAIRS_LINEAR for name in FORGERS}
    starter = {name: PAIRS_QUADRATIC for name in FORGERS}
    _, m = run_grade(
        harness, FORGERS, checks, reference=reference, starter=starter, tests={"tests/inputs.py": PAIRS_INPUTS}
    )

    for check_id in ("done-first", "reply-first", "done-first-vs-reference"):
        sample = m[check_id]
        # Either the measurement failed with a sentence, or it was honest: the learner's code
        # is the starter's, so no more than noise faster.
        failed = sample["error"] is not None or sample["wrongResult"] is not None
        assert failed or statistics.median(sample["baselineS"]) < 1.5 * statistics.median(sample["candidateS"]), (
            check_id,
            sample,
        )
    assert m["reply-first"]["wrongResult"] is not None or "garbled" in (m["reply-first"]["error"] or ""), m[
        "reply-first"
    ]
    for check_id in ("done-first-growth", "reply-first-growth"):
        points = m[check_id]
        # Quadratic code: 8× the size is far more than 8× the time, unless the clock stopped early.
        assert points["error"] is not None or time_ratio(points["learner"]) > 20, (check_id, points)


# Lists the other grading workers alive while the learner's function runs (the grader's other
# children: a reference worker kept alive to recompute results could have its memory read).
PEEKER = (
    PAIRS_LINEAR
    + """
    import os

    def _others():
        me, grader = os.getpid(), os.getppid()
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == me:
                continue
            try:
                with open(f"/proc/{name}/stat") as stat:
                    parent = int(stat.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == grader:
                found.append(int(name))
        return found

    _counted = count_pairs

    def count_pairs(xs):
        others = _others()
        if others:
            raise RuntimeError(f"other workers alive beside the learner's: {others}")
        return _counted(xs)
"""
)


def test_no_other_worker_is_alive_while_learner_code_runs(harness):
    checks = [
        speed("vs-starter", "peeker.count_pairs", "starter", rounds=2),
        speed("vs-reference", "peeker.count_pairs", "reference", rounds=2),
        growth("growth", "peeker.count_pairs", [100, 200, 400], with_reference=True, repeats=2),
        correctness("correct", "peeker.count_pairs", "tests/cases.py"),
    ]
    _, m = run_grade(
        harness,
        {"peeker.py": PEEKER},
        checks,
        reference={"peeker.py": PAIRS_LINEAR},
        starter={"peeker.py": PAIRS_QUADRATIC},
        tests={
            "tests/inputs.py": PAIRS_INPUTS,
            "tests/cases.py": "def cases(rng):\n    return [(([rng.randrange(9) for _ in range(30)],), {})]\n",
        },
    )
    for check_id, measurement in m.items():
        errors = [measurement["error"]] + [case["error"] for case in measurement.get("cases", [])]
        assert not any("other workers alive" in (error or "") for error in errors), (check_id, measurement)
        assert measurement["error"] is None, (check_id, measurement)


# A learner module that, when imported, leaves a daemon behind (its own session, so killing the
# worker's process group misses it) which keeps every other worker of the same grader stopped
# most of the time and burns CPU. Scoped to this test's grader and to 40 s, because this test
# runs outside the sandbox.
SABOTEUR = (
    PAIRS_QUADRATIC
    + """
    import os, signal, time

    def _sabotage(grader):
        deadline = time.monotonic() + 40
        mine = os.path.dirname(os.path.abspath(__file__))
        while time.monotonic() < deadline and os.path.exists(f"/proc/{grader}"):
            victims = []
            for name in os.listdir("/proc"):
                if not name.isdigit():
                    continue
                try:
                    with open(f"/proc/{name}/stat") as stat:
                        parent = int(stat.read().rpartition(")")[2].split()[1])
                    if parent != grader or os.path.exists(f"/proc/{name}/cwd/saboteur.py"):
                        continue
                except (OSError, ValueError, IndexError):
                    continue
                victims.append(int(name))
            for pid in victims:
                try:
                    os.kill(pid, signal.SIGSTOP)
                except OSError:
                    pass
            spin_until = time.monotonic() + 0.04
            while time.monotonic() < spin_until:
                pass
            for pid in victims:
                try:
                    os.kill(pid, signal.SIGCONT)
                except OSError:
                    pass
            time.sleep(0.005)

    def _leave_daemon():
        grader = os.getppid()
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                try:
                    _sabotage(grader)
                finally:
                    os._exit(0)
            os._exit(0)
        os.wait()

    _leave_daemon()
"""
)


def test_a_daemon_left_by_learner_code_cannot_slow_the_starter(harness):
    # Seven rounds: the median must not move with a burst of load from elsewhere (three rounds
    # once gave [0.84, 1.96, 1.64] right after the browser tests), while sabotage stops the
    # starter in every round (5.6x before the fix).
    checks = [speed("sabotage", "saboteur.count_pairs", "starter", rounds=7)]
    _, m = run_grade(
        harness,
        {"saboteur.py": SABOTEUR},
        checks,
        reference={"saboteur.py": PAIRS_LINEAR},
        starter={"saboteur.py": PAIRS_QUADRATIC},
        tests={"tests/inputs.py": PAIRS_INPUTS},
        timeout_s=180,
    )
    sample = m["sabotage"]
    assert sample["error"] is None and sample["wrongResult"] is None, sample
    # The learner's code is the starter's: the paired speed-up is about 1, not what stopping
    # the starter's worker most of the time would make it.
    speedups = [b / c for b, c in zip(sample["baselineS"], sample["candidateS"], strict=True)]
    assert statistics.median(speedups) < 1.8, speedups


# Big enough that one quadratic call takes well over MIN_BATCH_S (50 ms) even on a quiet, fast
# machine: calibration must settle on one call per batch, or the repeated calibration input
# would be answered from the learner's file and the loop count would grow to the cap.
SLOW_INPUT = """
    def slow(rng):
        return ([rng.randrange(500) for _ in range(3000)],), {}
"""

# Answers kept in a file by input: any input timed after the learner's code first saw it is
# answered at once.
FILE_CACHE = """
    import json

    def count_pairs(xs):
        try:
            with open(ANSWERS) as stored:
                answers = json.load(stored)
        except (OSError, ValueError):
            answers = {}
        key = repr(xs)
        if key not in answers:
            answers[key] = _slow(xs)
            with open(ANSWERS, "w") as stored:
                json.dump(answers, stored)
        return answers[key]
"""


def test_no_timed_call_gets_an_input_the_learner_saw_in_calibration(harness, tmp_path):
    answers = tmp_path / "answers.json"
    learner = (
        dedent({"cache.py": PAIRS_QUADRATIC.replace("def count_pairs", "def _slow")})["cache.py"]
        + dedent({"x": FILE_CACHE})["x"]
    )
    learner = f"ANSWERS = {str(answers)!r}\n" + learner
    check = {**speed("cached", "cache.count_pairs", "starter", rounds=2), "inputFunction": "slow"}
    _, m = run_grade(
        harness,
        {"cache.py": learner},
        [check],
        reference={"cache.py": PAIRS_LINEAR},
        starter={"cache.py": PAIRS_QUADRATIC},
        tests={"tests/inputs.py": SLOW_INPUT},
        # Each learner call reads and rewrites its answers file around a quadratic count: under
        # CI load one call can take longer than the suite's 2 s default, which says nothing here.
        request_timeout_s=10.0,
    )
    sample = m["cached"]
    assert sample["error"] is None and sample["wrongResult"] is None, sample
    assert sample["loopsPerSample"] == 1, sample  # one call per batch: a cached call would be the whole batch
    speedups = [b / c for b, c in zip(sample["baselineS"], sample["candidateS"], strict=True)]
    assert max(speedups) < 2, speedups


SEED_ECHO = """
    def echo(x):
        return x
"""

SEED_CASES = """
    def cases(rng):
        return [((rng.randrange(10**9),), {})]
"""


def test_the_seed_comes_from_the_hidden_document_not_the_job_file(harness):
    """Learner code can read the job file; with the seed from it and the course's public input
    functions it could compute every hidden input (and its answers) at import, untimed."""
    import random

    checks = [correctness("echo", "echo.echo", "tests/cases.py")]
    tests = {"tests/cases.py": SEED_CASES}
    _, m = run_grade(harness, {"echo.py": SEED_ECHO}, checks, tests=tests, seed=77)
    drawn = random.Random(77).randrange(10**9)
    assert m["echo"]["cases"][0]["actualRepr"] == str(drawn)
    # A seed left in the job file (an older host) is not the one used.
    _, m = run_grade(harness, {"echo.py": SEED_ECHO}, checks, tests=tests, seed=77, job_seed=5)
    assert m["echo"]["cases"][0]["actualRepr"] == str(drawn)
