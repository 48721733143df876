from conftest import assert_well_formed, make_job

PROGRAM = """
    import sys

    DATA = list(range(3000))

    def slow():
        total = 0
        for value in DATA:
            total = total + value
        return total

    def fast():
        return sum(DATA)

    if __name__ == "__main__":
        print("the main block must not run when timing")
        sys.exit(9)
"""


def timeit_job(candidates, rounds=3):
    return make_job(
        mode="timeit", timeit={"candidates": candidates, "rounds": rounds, "minBatchS": 0.01, "gcEnabled": False}
    )


def test_timeit_ranks_slow_above_fast(harness):
    result = harness.run({"main.py": PROGRAM}, timeit_job(["slow()", "fast", "sorted(DATA)  # comment"]))
    assert result.returncode == 0, result.stderr
    assert "main block" not in result.stdout
    document = result.document
    assert_well_formed(document, "timeit")
    assert document["gcEnabled"] is False
    slow, fast, sort = document["candidates"]
    assert [c["expr"] for c in document["candidates"]] == ["slow()", "fast", "sorted(DATA)  # comment"]
    for candidate in document["candidates"]:
        assert len(candidate["samplesS"]) == 3
        assert candidate["loopsPerSample"] >= 1
        assert all(sample > 0 for sample in candidate["samplesS"])
        # Calibrated so that one sample (loops x time per loop) lasts about minBatchS (0.01 s)
        # or more; loose, as a loaded machine can make the calibrating round slow.
        assert candidate["loopsPerSample"] * max(candidate["samplesS"]) > 0.002
    # A Python-level loop against the builtin sum(): about 10x apart on an idle machine. The
    # minimum, as timeit itself reports, because load on a shared machine only adds time.
    assert min(slow["samplesS"]) > 2 * min(fast["samplesS"])


def test_timeit_names_a_failing_candidate(harness):
    result = harness.run({"main.py": PROGRAM}, timeit_job(["fast()", "sloww()"], rounds=1))
    assert result.returncode == 2
    setup_error = result.document["setupError"]
    assert setup_error["kind"] == "bad-job"
    assert "'sloww()'" in setup_error["message"] and "NameError" in setup_error["message"]
    assert_well_formed(result.document, "timeit")


def test_timeit_reports_a_broken_entry_module(harness):
    result = harness.run({"main.py": "import missing_module\n"}, timeit_job(["1 + 1"], rounds=1))
    assert result.returncode == 1
    exception = result.document["exception"]
    assert exception["type"] == "ModuleNotFoundError"
    assert (exception["file"], exception["line"]) == ("main.py", 1)
    assert "ModuleNotFoundError" in result.stderr
