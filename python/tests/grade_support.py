"""Shared by the grade-mode tests: running the grader on tiny exercises written in the tests."""

import json
import os
import textwrap
import threading

from conftest import assert_well_formed, make_job

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
    assert_well_formed(document, "grade")
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


def memory_check(check_id, call, count=100_000):
    return {"id": check_id, "kind": "memory-per-instance", "call": call, "count": count, "noDict": True}


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
