"""Grade mode (docs/harness-protocol.md, "Grading mode"): `python -m perflab_harness` as the
grader, on tiny exercises written here, one harness run per group of checks.

Timing assertions compare sides of the same run with wide margins (2 CPUs, shared machine);
the numbers they guard are the ones the host's decisions are made from.
"""

import json
import os
import statistics
import sys
import textwrap
import threading

import pytest
from conftest import COMMON_FIELDS, PYTHON_DIR, make_job

# The encoding and comparison helpers are also tested in-process, below.
sys.path.insert(0, str(PYTHON_DIR))
from perflab_harness.grade_values import decode_value, describe_pair, values_match  # noqa: E402
from perflab_harness.grade_worker import ValueNotSendable, make_value_encoder  # noqa: E402

REQUEST_TIMEOUT_S = 2.0


def dedent(files):
    return {path: textwrap.dedent(source).lstrip("\n") for path, source in files.items()}


def run_grade(
    harness,
    learner,
    checks,
    reference=None,
    starter=None,
    tests=None,
    seed=1234,
    timeout_s=120,
    job_seed=None,
    request_timeout_s=REQUEST_TIMEOUT_S,
):
    """Runs the grader; returns (harness run, measurements by check id). The seed travels in
    the hidden document, as the host sends it (the job file is readable by learner code)."""
    learner = dedent(learner)
    hidden = {
        "schema": "perflab.hidden/1",
        "seed": seed,
        "trees": {"reference": dedent(reference or learner), "starter": dedent(starter or learner)},
        "tests": dedent(tests or {}),
    }
    read_fd, write_fd = os.pipe()
    writer = threading.Thread(target=_write_and_close, args=(write_fd, json.dumps(hidden).encode()))
    writer.start()
    grade = {"checks": checks, "requestTimeoutS": request_timeout_s}
    if job_seed is not None:
        grade["seed"] = job_seed
    job = make_job(mode="grade", entry=next(iter(learner)), grade=grade)
    try:
        result = harness.run(
            learner, job, env={"PERFLAB_HIDDEN_FD": str(read_fd)}, extra_fds=(read_fd,), timeout_s=timeout_s
        )
    finally:
        os.close(read_fd)
        writer.join()
    document = result.document
    assert document is not None, result.stderr
    assert document["setupError"] is None, document["setupError"]
    assert document["mode"] == "grade"
    assert not (COMMON_FIELDS | {"measurements"}) - set(document)
    assert [m["id"] for m in document["measurements"]] == [check["id"] for check in checks]
    return result, {m["id"]: m for m in document["measurements"]}


def _write_and_close(fd, data):
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(data)


def correctness(check_id, call, cases_file="tests/cases.py", compare="equal"):
    return {"id": check_id, "kind": "correctness", "call": call, "casesFile": cases_file, "compare": compare}


# -- correctness ----------------------------------------------------------------------------------

LISTS_CASES = """
    def cases(rng):
        return [(([rng.randrange(5) for _ in range(size)],), {}) for size in (0, 1, 6, 30)]
"""

VALUES_CASES = """
    def cases(rng):
        return [((rng.randrange(100),), {})]
"""

CALC = """
    def unique(xs):
        return sorted(set(xs))

    def unique_buggy(xs):
        return sorted(xs)  # keeps duplicates

    def first_key(xs):
        table = {}
        return table[xs[0]] if xs else None

    def every_type(n):
        return {
            "nan": float("nan"), "inf": float("-inf"), (1, "a"): frozenset({b"\\x00x"}), "set": {n, 2},
            "big": -(2 ** 200) - n, "tuple": (None, True, 1.5), "text": "é\\ud800\\n", "bytes": bytearray(b"\\xff"),
        }

    def shuffled(n):
        return [3, 1, 2, n]

    reference_bug = shuffled
"""

CALC_REFERENCE = """
    def unique(xs):
        return sorted(set(xs))

    unique_buggy = unique

    def first_key(xs):
        return None if not xs else xs[0]

    def every_type(n):
        return {
            "nan": float("nan"), "inf": float("-inf"), (1, "a"): frozenset({b"\\x00x"}), "set": {2, n},
            "big": -(2 ** 200) - n, "tuple": (None, True, 1.5), "text": "é\\ud800\\n", "bytes": b"\\xff",
        }

    def shuffled(n):
        return [n, 1, 2, 3]

    def only_in_reference(xs):
        return xs

    def reference_bug(xs):
        secret = "solution detail"
        raise ValueError(secret)
"""


def test_correctness_passes_equal_results_and_explains_wrong_ones(harness):
    checks = [
        correctness("unique", "calc.unique"),
        correctness("buggy", "calc.unique_buggy"),
        correctness("raises", "calc.first_key"),
        correctness("every-type", "calc.every_type", "tests/values.py"),
        correctness("order-free", "calc.shuffled", "tests/values.py", compare="sorted"),
        correctness("missing", "calc.only_in_reference"),
        correctness("broken-exercise", "calc.nowhere"),
        correctness("reference-raises", "calc.reference_bug"),
    ]
    _, m = run_grade(
        harness,
        {"calc.py": CALC},
        checks,
        reference={"calc.py": CALC_REFERENCE},
        tests={"tests/cases.py": LISTS_CASES, "tests/values.py": VALUES_CASES},
    )

    assert m["unique"]["error"] is None
    assert [case["passed"] for case in m["unique"]["cases"]] == [True] * 4

    buggy = m["buggy"]["cases"]
    assert [case["passed"] for case in buggy] == [True, True, False, False]  # [] and [x] have no duplicates
    failed = buggy[2]
    assert failed["argsSummary"].startswith("([")
    assert failed["error"] is None
    # The reprs point at the first difference, so a long result still shows what is wrong.
    assert "; at [" in failed["expectedRepr"] and "; at [" in failed["actualRepr"]

    raising = [case for case in m["raises"]["cases"] if not case["passed"]]
    assert raising and raising[0]["error"].startswith("calc.first_key raised KeyError: ")
    # A short traceback of the learner's own frames: file, line and source, no harness frames.
    assert 'File "calc.py", line 9, in first_key' in raising[0]["error"]
    assert "return table[xs[0]]" in raising[0]["error"]
    assert "perflab_harness" not in raising[0]["error"]

    # NaN, infinities, huge ints, bytes vs bytearray, sets, tuple keys, lone surrogates.
    assert m["every-type"]["error"] is None and m["every-type"]["cases"][0]["passed"], m["every-type"]
    assert m["order-free"]["cases"][0]["passed"]

    assert m["missing"]["error"] is None
    assert [case["error"] for case in m["missing"]["cases"]] == ["calc has no function only_in_reference"] * 4
    # The reference failing is the exercise's fault, said as such.
    assert (
        m["broken-exercise"]["error"] == "the exercise's check broken-exercise is broken: case 0: "
        "the reference solution: calc has no function nowhere"
    )
    # Where the reference failed, for the author; never a line of its source.
    reference_error = m["reference-raises"]["error"]
    assert reference_error.startswith(
        "the exercise's check reference-raises is broken: case 0: "
        "the reference solution: calc.reference_bug raised ValueError"
    )
    assert 'File "calc.py", line ' in reference_error and "secret" not in reference_error.split("\n", 1)[1]


# -- speed and growth ---------------------------------------------------------------------------

PAIRS_QUADRATIC = """
    def count_pairs(xs):
        count = 0
        for i in range(len(xs)):
            for j in range(i + 1, len(xs)):
                if xs[i] == xs[j]:
                    count += 1
        return count
"""

PAIRS_LINEAR = """
    from collections import Counter

    def count_pairs(xs):
        return sum(c * (c - 1) // 2 for c in Counter(xs).values())
"""

PAIRS_INPUTS = """
    def small(rng):
        return ([rng.randrange(40) for _ in range(60)],), {}

    def sized(n, rng):
        return ([rng.randrange(n // 4 + 1) for _ in range(n)],), {}
"""


def speed(check_id, call, baseline, rounds=3):
    return {
        "id": check_id,
        "kind": "speed",
        "call": call,
        "inputFile": "tests/inputs.py",
        "inputFunction": "small",
        "baseline": baseline,
        "rounds": rounds,
    }


def growth(check_id, call, sizes, with_reference=False, repeats=2):
    return {
        "id": check_id,
        "kind": "growth",
        "call": call,
        "inputFile": "tests/inputs.py",
        "inputFunction": "sized",
        "sizes": sizes,
        "repeats": repeats,
        "withReference": with_reference,
    }


def time_ratio(points):
    return points[-1]["timeS"] / points[0]["timeS"]


def test_speed_and_growth_tell_quadratic_from_linear(harness):
    learner = {"entry.py": "", "slow.py": PAIRS_QUADRATIC, "fast.py": PAIRS_LINEAR}
    reference = {"slow.py": PAIRS_LINEAR, "fast.py": PAIRS_LINEAR}
    starter = {"slow.py": PAIRS_QUADRATIC, "fast.py": PAIRS_QUADRATIC}
    checks = [
        speed("slow-vs-reference", "slow.count_pairs", "reference"),
        speed("fast-vs-starter", "fast.count_pairs", "starter"),
        growth("quadratic", "slow.count_pairs", [100, 200, 400, 800], with_reference=True, repeats=5),
        growth("linear", "fast.count_pairs", [10_000, 20_000, 40_000, 80_000], repeats=5),
    ]
    # A longer deadline than the other tests': on a busy machine starting a worker alone can
    # take over 2 s, and nothing here is about deadlines.
    _, m = run_grade(
        harness,
        learner,
        checks,
        reference=reference,
        starter=starter,
        tests={"tests/inputs.py": PAIRS_INPUTS},
        request_timeout_s=20.0,
    )

    for check_id in ("slow-vs-reference", "fast-vs-starter"):
        sample = m[check_id]
        assert sample["error"] is None and sample["wrongResult"] is None, sample
        assert len(sample["baselineS"]) == len(sample["candidateS"]) == 3
        # Same number of calls for both sides, each call on a distinct input, so batches are
        # capped (memoising repeated identical calls cannot fake a speed-up).
        assert 1 <= sample["loopsPerSample"] <= 64
    slow, fast = m["slow-vs-reference"], m["fast-vs-starter"]
    # Seconds per call, paired by round: 1 770 comparisons against one Counter pass.
    assert statistics.median(slow["candidateS"]) > 2 * statistics.median(slow["baselineS"])
    assert statistics.median(fast["baselineS"]) > 2 * statistics.median(fast["candidateS"])

    quadratic, linear = m["quadratic"], m["linear"]
    assert quadratic["error"] is None and linear["error"] is None
    assert [p["n"] for p in quadratic["learner"]] == [100, 200, 400, 800]
    assert [p["n"] for p in quadratic["reference"]] == [100, 200, 400, 800]
    assert quadratic["stoppedAtN"] is None and linear["reference"] is None
    # 8× the size: about 64× the time when quadratic (less the per-request overhead at the
    # smallest size), about 8× when linear.
    assert time_ratio(quadratic["learner"]) > 20, quadratic
    assert 3 < time_ratio(linear["learner"]) < 20, linear


def test_speed_reports_a_wrong_result_against_the_reference(harness):
    learner = {"slow.py": PAIRS_LINEAR.replace("c * (c - 1) // 2", "c * c")}
    _, m = run_grade(
        harness,
        learner,
        [speed("wrong", "slow.count_pairs", "starter", rounds=2)],
        reference={"slow.py": PAIRS_LINEAR},
        starter={"slow.py": PAIRS_QUADRATIC},
        tests={"tests/inputs.py": PAIRS_INPUTS},
    )
    wrong = m["wrong"]["wrongResult"]
    assert wrong is not None and wrong["argsSummary"].startswith("([")
    assert int(wrong["actualRepr"]) > int(wrong["expectedRepr"])  # checked against the reference, not the starter


# -- memory per instance -------------------------------------------------------------------------

SHAPES = """
    class Plain:
        def __init__(self, x, y):
            self.x = x
            self.y = y

    class Slotted:
        __slots__ = ("x", "y")

        def __init__(self, x, y):
            self.x = x
            self.y = y

    class SlottedButDict(Slotted):
        pass  # no __slots__ of its own: instances get a __dict__ back

    def make_plain(i):
        return Plain(i, -i)

    def make_slotted(i):
        return Slotted(i, -i)

    def make_slotted_subclass(i):
        return SlottedButDict(i, -i)
"""


def memory_check(check_id, call, count=100_000):
    return {"id": check_id, "kind": "memory-per-instance", "call": call, "count": count, "noDict": True}


def test_memory_per_instance_sees_slots(harness):
    checks = [
        memory_check("plain", "shapes.make_plain"),
        memory_check("slotted", "shapes.make_slotted"),
        memory_check("sub", "shapes.make_slotted_subclass"),
    ]
    _, m = run_grade(harness, {"shapes.py": SHAPES}, checks)
    plain, slotted, sub = m["plain"], m["slotted"], m["sub"]
    assert plain["error"] is None and slotted["error"] is None and sub["error"] is None
    assert (plain["hasDict"], slotted["hasDict"], sub["hasDict"]) == (True, False, True)
    assert (plain["className"], slotted["className"]) == ("shapes.Plain", "shapes.Slotted")
    # Each instance also owns two ints (28 bytes each above 256) and a list slot (8 bytes).
    assert 48 + 56 + 8 <= slotted["bytesPerInstance"] < 200, slotted
    assert plain["bytesPerInstance"] > slotted["bytesPerInstance"] + 20, (plain, slotted)


# -- overlap ---------------------------------------------------------------------------------------

FETCHER = """
    import asyncio

    from perflab_exercise import blocking_fetch

    def sequential(keys):
        return [blocking_fetch(key) for key in keys]

    def overlapped(keys):
        async def fetch_all():
            return await asyncio.gather(*(asyncio.to_thread(blocking_fetch, key) for key in keys))

        return list(asyncio.run(fetch_all()))
"""

KEYS_INPUT = """
    def keys(rng):
        return ([f"page-{rng.randrange(10**6)}" for _ in range(5)],), {}
"""


def overlap_check(check_id, call, latency_ms=150):
    return {
        "id": check_id,
        "kind": "overlap",
        "call": call,
        "inputFile": "tests/inputs.py",
        "inputFunction": "keys",
        "latencyMs": latency_ms,
    }


def test_overlap_counts_requests_in_flight(harness):
    checks = [overlap_check("sequential", "fetcher.sequential"), overlap_check("overlapped", "fetcher.overlapped")]
    _, m = run_grade(harness, {"fetcher.py": FETCHER}, checks, tests={"tests/inputs.py": KEYS_INPUT})
    sequential, overlapped = m["sequential"], m["overlapped"]
    for measurement in (sequential, overlapped):
        assert measurement["error"] is None and measurement["resultOk"] is True, measurement
        assert measurement["requestsServed"] == 5
    assert sequential["maxInFlight"] == 1
    assert 0.7 <= sequential["wallS"] < 1.5  # 5 × 150 ms, one after the other
    assert overlapped["maxInFlight"] == 5
    assert 0.15 <= overlapped["wallS"] < 0.5  # about one latency


def test_blocking_fetch_sleeps_outside_grading(monkeypatch):
    import time

    import perflab_exercise

    monkeypatch.delenv("PERFLAB_FETCH_SOCKET", raising=False)
    monkeypatch.setenv("PERFLAB_FETCH_LATENCY_S", "0.05")
    started_s = time.perf_counter()
    assert perflab_exercise.blocking_fetch("k") == "data:k"
    assert time.perf_counter() - started_s >= 0.05
    with pytest.raises(TypeError):
        perflab_exercise.blocking_fetch(3)


# -- cpu-scaling ----------------------------------------------------------------------------------

CRUNCH = """
    from concurrent.futures import ProcessPoolExecutor

    def part(numbers):
        return sum(i * i % 7 for i in numbers)

    def total(n, parts):
        with ProcessPoolExecutor(max_workers=2) as pool:
            return sum(pool.map(part, [range(k, n, parts) for k in range(parts)]))
"""

CRUNCH_REFERENCE = """
    def total_serial(n, parts):
        return sum(i * i % 7 for i in range(n))

    total = total_serial
"""

CRUNCH_INPUT = """
    def work(rng):
        return (300_000 + rng.randrange(1000), 4), {}
"""


def test_cpu_scaling_reports_paired_wall_times(harness):
    check = {
        "id": "scaling",
        "kind": "cpu-scaling",
        "call": "crunch.total",
        "inputFile": "tests/inputs.py",
        "inputFunction": "work",
        "serialCall": "crunch.total_serial",
        "rounds": 2,
    }
    result, m = run_grade(
        harness,
        {"crunch.py": CRUNCH},
        [check],
        reference={"crunch.py": CRUNCH_REFERENCE},
        tests={"tests/inputs.py": CRUNCH_INPUT},
    )
    scaling = m["scaling"]
    assert scaling["error"] is None and scaling["resultOk"] is True, scaling
    assert len(scaling["learnerS"]) == len(scaling["serialS"]) == 2
    assert all(t > 0.01 for t in scaling["learnerS"] + scaling["serialS"])
    assert scaling["cpusAvailable"] == result.document["cpusAvailable"]


# -- learner code that fights the grader ----------------------------------------------------------

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
FRAME_HACK = """
    import sys as _sys

    def _loop_scope():
        frame = _sys._getframe(2)
        while frame is not None and not ("send" in frame.f_locals and "encode" in frame.f_locals):
            frame = frame.f_back
        return None if frame is None else frame.f_locals
"""

FORGERS = {
    "entry.py": "",
    # The forgery: a "done" frame first, then the work, then the (correct) results.
    "done_first.py": FRAME_HACK
    + PAIRS_QUADRATIC.replace("def count_pairs", "def _slow")
    + """
    _forged = []

    def count_pairs(xs):
        scope = _loop_scope()
        if scope is None or _forged:
            return _slow(xs)
        _forged.append(True)
        request = scope.get("request") or {}
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
    "reply_first.py": FRAME_HACK
    + PAIRS_QUADRATIC.replace("def count_pairs", "def _slow")
    + """
    _forged = []

    def count_pairs(xs):
        scope = _loop_scope()
        if scope is None or _forged:
            return _slow(xs)
        _forged.append(True)
        request = scope.get("request") or {}
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


SLOW_INPUT = """
    def slow(rng):
        return ([rng.randrange(500) for _ in range(1500)],), {}
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


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="workers under separate uids need a root grader")
# What the harness passes as worker_identity when the sandbox started as root.
WORKER_IDENTITY = (231_000, 231_000)

PROBE = """
import ctypes, os

PR_GET_DUMPABLE = 3

def attempt(action):
    try:
        action()
        return "allowed"
    except OSError as error:
        return type(error).__name__

def probe(pids):
    def read_memory(pid):
        with open(f"/proc/{pid}/mem", "rb") as memory:
            memory.read(1)
    return [os.getuid(), os.getgid(), ctypes.CDLL(None).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)] + [
        [attempt(lambda: read_memory(pid)), attempt(lambda: os.kill(pid, 0))] for pid in pids
    ]
"""


@pytest.fixture
def python_for_any_uid(monkeypatch):
    """An interpreter the workers' uids may run: outside the sandbox the venv's may live in
    a folder only root can enter (in the sandbox, bubblewrap makes its parents traversable)."""
    import subprocess

    from perflab_harness import grade_process

    for candidate in (sys.executable, "/usr/bin/python3"):
        try:
            subprocess.run(
                [candidate, "-c", ""],
                user=WORKER_IDENTITY[0],
                group=WORKER_IDENTITY[1],
                extra_groups=[],
                cwd="/",
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        monkeypatch.setattr(grade_process, "WORKER_PYTHON", candidate)
        return candidate
    pytest.skip("no Python interpreter that an unprivileged uid may run")


@needs_root
def test_each_side_runs_as_its_own_uid_and_cannot_reach_another(tmp_path, python_for_any_uid):
    """Defence in depth: the grader never runs two workers at once, but were a reference
    worker alive, learner code could neither read its memory nor signal it, nor the grader."""
    from perflab_harness.grade_process import LEARNER, REFERENCE, WorkerProcess
    from perflab_harness.mode_grade import side_identity

    (tmp_path / "probe.py").write_text(PROBE)
    tree = {"probe.py": PROBE + "\nSECRET = 'only the reference has this'\n"}
    with WorkerProcess(
        REFERENCE, str(tmp_path), tree=tree, identity=side_identity(WORKER_IDENTITY, REFERENCE)
    ) as reference:
        reference.import_module("probe", 10)
        assert reference.call("probe.probe", ([],), {}, 1, 10).value == [231_002, 231_002, 0]
        with WorkerProcess(LEARNER, str(tmp_path), identity=side_identity(WORKER_IDENTITY, LEARNER)) as learner:
            learner.import_module("probe", 10)
            uid, gid, dumpable, into_reference, into_grader = learner.call(
                "probe.probe", ([reference._process.pid, os.getpid()],), {}, 1, 10
            ).value
    assert (uid, gid, dumpable) == (231_000, 231_000, 0)
    assert into_reference == ["PermissionError", "PermissionError"]
    assert into_grader == ["PermissionError", "PermissionError"]


DAEMON = """
import os, time

def leave_daemon(seconds):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(seconds)
            os._exit(0)
        os._exit(0)
    os.wait()
    return os.getuid()
"""


@needs_root
def test_closing_a_worker_ends_the_daemons_its_code_left(tmp_path, python_for_any_uid):
    from perflab_harness.grade_process import LEARNER, WorkerProcess, _process_table

    (tmp_path / "daemon.py").write_text(DAEMON)
    with WorkerProcess(LEARNER, str(tmp_path), identity=WORKER_IDENTITY) as learner:
        learner.import_module("daemon", 10)
        assert learner.call("daemon.leave_daemon", (60,), {}, 1, 10).value == WORKER_IDENTITY[0]
        alive = [
            pid
            for pid, (_, state, uid) in _process_table(with_uids=True).items()
            if uid == WORKER_IDENTITY[0] and state != "Z"
        ]
        assert len(alive) == 2  # the worker and the daemon, which left the worker's session
    left = [
        pid
        for pid, (_, state, uid) in _process_table(with_uids=True).items()
        if uid == WORKER_IDENTITY[0] and state != "Z"
    ]
    assert left == []


WHO = """
    import os

    def uid(x):
        return os.getuid()
"""


@needs_root
def test_the_grader_runs_each_side_under_its_own_uid(tmp_path, python_for_any_uid):
    """The grader in-process, as a root grader given worker_identity by the harness."""
    from perflab_harness.grade_worker import TreeFinder
    from perflab_harness.mode_grade import Grader

    learner = dedent({"who.py": WHO, "fetcher.py": FETCHER, "pairs.py": PAIRS_LINEAR})
    for name, source in learner.items():
        (tmp_path / name).write_text(source)
    hidden = {
        "trees": {"reference": learner, "starter": {**learner, "pairs.py": dedent({"x": PAIRS_QUADRATIC})["x"]}},
        "tests": dedent({"tests/cases.py": VALUES_CASES, "tests/inputs.py": PAIRS_INPUTS + KEYS_INPUT}),
    }
    checks = [
        correctness("uid", "who.uid"),
        overlap_check("fetch", "fetcher.overlapped", latency_ms=50),
        speed("speed", "pairs.count_pairs", "starter", rounds=2),
    ]
    meta_path = list(sys.meta_path)
    try:
        grader = Grader(
            hidden,
            {"seed": 5, "checks": checks, "requestTimeoutS": 10.0},
            str(tmp_path),
            worker_identity=WORKER_IDENTITY,
        )
        m = {check["id"]: grader.run_check(check) for check in checks}
    finally:
        sys.meta_path[:] = [finder for finder in meta_path if not isinstance(finder, TreeFinder)]
        for name in [name for name in sys.modules if name == "tests" or name.startswith("tests.")]:
            del sys.modules[name]
    case = m["uid"]["cases"][0]
    assert (case["actualRepr"], case["expectedRepr"]) == ("231000", "231002"), m["uid"]
    assert m["fetch"]["error"] is None and m["fetch"]["resultOk"] and m["fetch"]["requestsServed"] == 5, m["fetch"]
    assert m["speed"]["error"] is None and m["speed"]["wrongResult"] is None and len(m["speed"]["candidateS"]) == 2, m[
        "speed"
    ]


# -- the tagged encoding on its own ---------------------------------------------------------------


def test_tagged_encoding_round_trips_and_refuses_other_types():
    from collections import Counter, OrderedDict, namedtuple

    encode = make_value_encoder()
    point = namedtuple("Point", "x y")
    value = {
        "counter": Counter("aab"),
        "ordered": OrderedDict(a=1),
        "point": point(1, 2),
        frozenset({1}): [float("nan"), -0.0, 10**5000],
        b"k": {None},
    }
    decoded = decode_value(json.loads(encode(value)))
    assert values_match(
        {
            "counter": {"a": 2, "b": 1},
            "ordered": {"a": 1},
            "point": (1, 2),
            frozenset({1}): [float("nan"), 0.0, 10**5000],
            b"k": {None},
        },
        decoded,
    )
    with pytest.raises(ValueNotSendable) as refused:
        encode([object()])
    assert refused.value.type_name == "object" and refused.value.nested


def test_values_match_modes_and_difference_reports():
    assert values_match([1.0, 2.0], [1.0, 2.0000000001], "approx")
    assert not values_match([1.0, 2.0], [1.0, 2.0000000001], "equal")
    assert values_match([3, 1, 2], (1, 2, 3), "equal") is False
    assert values_match([3, 1, 2], [1, 2, 3], "sorted")
    expected, actual = describe_pair({"the": 12, "a": 3}, {"the": 11, "a": 3})
    assert expected.endswith("; at ['the']: 12") and actual.endswith("; at ['the']: 11")
    expected, actual = describe_pair({"a": 1}, {"a": 1, "b": 2})
    assert actual.endswith("; at ['b']: 2") and expected.endswith("(missing)")
