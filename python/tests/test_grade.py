"""Grade mode (docs/harness-protocol.md, "Grading mode"): `python -m perflab_harness` as the
grader, on tiny exercises written here, one harness run per group of checks.

Timing assertions compare sides of the same run with wide margins (2 CPUs, shared machine);
the numbers they guard are the ones the host's decisions are made from.
"""

import statistics

import pytest
from grade_support import (
    CALC,
    CALC_REFERENCE,
    FETCHER,
    KEYS_INPUT,
    LISTS_CASES,
    PAIRS_INPUTS,
    PAIRS_LINEAR,
    PAIRS_QUADRATIC,
    VALUES_CASES,
    correctness,
    growth,
    memory_check,
    overlap_check,
    run_grade,
    speed,
    time_ratio,
)


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
