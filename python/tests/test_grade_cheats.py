"""Grade mode against cheating learner code: every trick gets a sentence and grading goes on."""

import statistics

from grade_support import (
    KEYS_INPUT,
    LISTS_CASES,
    PAIRS_INPUTS,
    correctness,
    growth,
    memory_check,
    overlap_check,
    run_grade,
    speed,
)

CHEATS = {
    "entry.py": "",
    "exits_at_import.py": """
        import os, sys
        print("leaving now", file=sys.stderr, flush=True)
        os._exit(0)
    """,
    "sys_exit_at_import.py": """
        import sys
        sys.exit(0)
    """,
    "fake_output.py": """
        import json, sys
        print("x" * 200_000)  # more than a pipe holds: the grader must keep reading
        print("y" * 200_000, file=sys.stderr)
        print(json.dumps({"schema": "perflab.harness/1", "mode": "grade", "measurements": []}))
        print(json.dumps({"ok": True, "value": ["list", []]}))

        def unique(xs):
            return ["all", "good"]
    """,
    "junk_on_pipe.py": """
        import os
        for fd in range(3, 2048):
            try:
                os.write(fd, b"PASS PASS PASS {\\"ok\\": true}\\n")
            except OSError:
                pass

        def unique(xs):
            return sorted(set(xs))
    """,
    "patcher.py": """
        import builtins, gc, json, pickle, sys, time
        import perflab_exercise
        import perflab_harness.grade_worker as worker

        time.perf_counter = time.perf_counter_ns = time.monotonic = time.time = lambda: 0
        gc.collect = lambda *args: 0
        gc.disable()
        json.dumps = lambda *args, **kwargs: '{"ok": true}'
        pickle.loads = lambda *args, **kwargs: {
            "op": "call", "function": "unique", "args": ([],), "kwargs": {}, "loops": 1
        }
        builtins.isinstance = lambda *args: True
        for name, value in list(vars(worker).items()):
            if callable(value) and not name.startswith("__"):
                setattr(worker, name, lambda *args, **kwargs: '["list",[]]')
        perflab_exercise.blocking_fetch = lambda key: "data:" + key
        sys.modules["perflab_exercise"].blocking_fetch = perflab_exercise.blocking_fetch

        def unique(xs):
            return ["patched", "everything"]

        def count_pairs(xs):
            count = 0
            for i in range(len(xs)):
                for j in range(i + 1, len(xs)):
                    if xs[i] == xs[j]:
                        count += 1
            return count

        def fetch(keys):
            return [perflab_exercise.blocking_fetch(key) for key in keys]

        class Plain:
            def __init__(self, i):
                self.i = i

            def __getattribute__(self, name):
                if name == "__dict__":
                    raise AttributeError(name)  # pretends to have no __dict__
                return object.__getattribute__(self, name)

        def make(i):
            return Plain(i)
    """,
    "sleeper.py": """
        import time

        def unique(xs):
            while True:
                time.sleep(0.5)

        def grows(xs):
            if len(xs) >= 1000:
                time.sleep(60)
            return len(xs)
    """,
    "odd.py": """
        import sys

        class Opaque:
            pass

        def unique(xs):
            return Opaque()

        def nested(xs):
            return [1, {"deep": (2, Opaque())}]

        def exits(xs):
            sys.exit(3)

        def endless(xs):
            value = []
            value.append(value)
            return value
    """,
    "honest.py": """
        def unique(xs):
            return sorted(set(xs))
    """,
}

CHEATS_REFERENCE = {
    name: """
        from collections import Counter

        def unique(xs):
            return sorted(set(xs))

        def count_pairs(xs):
            return sum(c * (c - 1) // 2 for c in Counter(xs).values())

        def grows(xs):
            return len(xs)

        def fetch(keys):
            from perflab_exercise import blocking_fetch
            return [blocking_fetch(key) for key in keys]

        nested = exits = endless = unique
    """
    for name in CHEATS
}

CHEAT_TESTS = {"tests/cases.py": LISTS_CASES, "tests/inputs.py": PAIRS_INPUTS + KEYS_INPUT}


def test_cheating_workers_get_a_sentence_and_grading_goes_on(harness):
    checks = [
        correctness("os-exit", "exits_at_import.unique"),
        correctness("sys-exit", "sys_exit_at_import.unique"),
        correctness("fake-output", "fake_output.unique"),
        correctness("junk", "junk_on_pipe.unique"),
        correctness("patched", "patcher.unique"),
        speed("patched-speed", "patcher.count_pairs", "reference", rounds=2),
        overlap_check("patched-fetch", "patcher.fetch", latency_ms=100),
        memory_check("patched-memory", "patcher.make", count=2000),
        correctness("sleeps", "sleeper.unique"),
        growth("sleeps-when-big", "sleeper.grows", [10, 100, 1000, 10000], repeats=1),
        correctness("opaque", "odd.unique"),
        correctness("nested-opaque", "odd.nested"),
        correctness("exits-in-call", "odd.exits"),
        correctness("contains-itself", "odd.endless"),
        correctness("honest", "honest.unique"),
    ]
    result, m = run_grade(harness, CHEATS, checks, reference=CHEATS_REFERENCE, tests=CHEAT_TESTS)

    def error(check_id):
        measurement = m[check_id]
        return measurement["error"] or " | ".join(case["error"] or "" for case in measurement.get("cases", []))

    assert error("os-exit") == (
        "your code ended the worker process while importing exits_at_import "
        "(exit status 0; os._exit() or sys.exit() at import?)"
        "\nIts stderr ended with:\nleaving now"
    )
    assert "importing sys_exit_at_import called sys.exit(0)" in error("sys-exit")

    fake = m["fake-output"]
    assert fake["error"] is None and not any(case["passed"] for case in fake["cases"])
    assert fake["cases"][0]["actualRepr"].startswith("['all', 'good']")

    assert "garbled reply" in error("junk") or "incomplete reply" in error("junk")

    patched = m["patched"]
    assert not any(case["passed"] for case in patched["cases"])
    assert patched["cases"][0]["actualRepr"].startswith("['patched', 'everything']")
    patched_speed = m["patched-speed"]
    assert patched_speed["error"] is None and patched_speed["wrongResult"] is None, patched_speed
    assert statistics.median(patched_speed["candidateS"]) > 2 * statistics.median(patched_speed["baselineS"])
    patched_fetch = m["patched-fetch"]
    assert patched_fetch["requestsServed"] == 0 and patched_fetch["maxInFlight"] == 0  # the host sees no overlap
    assert m["patched-memory"]["hasDict"] is True

    assert "sleeper.unique did not finish within 2 s; the worker process was stopped" in error("sleeps")
    assert m["sleeps"]["error"].startswith("stopped after case 0")
    sleeps = m["sleeps-when-big"]
    assert sleeps["error"] is None and sleeps["stoppedAtN"] == 1000
    assert [point["n"] for point in sleeps["learner"]] == [10, 100]

    assert "odd.unique returned an object of type Opaque, which cannot be compared" in error("opaque")
    assert "odd.nested returned a value containing an object of type Opaque" in error("nested-opaque")
    assert "odd.exits called sys.exit(3) instead of returning a result" in error("exits-in-call")
    assert "nested more than" in error("contains-itself")

    honest = m["honest"]
    assert honest["error"] is None and all(case["passed"] for case in honest["cases"])
    # Nothing the workers printed reached the grader's own output.
    assert "PASS" not in result.stdout and "x" * 100 not in result.stdout


# -- forged verdicts (issue 9) --------------------------------------------------------------------
#
# Each of these made a verification pass before the grader kept time on complete, verified replies,
# ran no reference or starter worker beside learner code, and killed every process a learner
# worker left behind before the next worker started.

# The worker's own reply channel and encoder, found from the learner's function through the
# frames of the request loop.
