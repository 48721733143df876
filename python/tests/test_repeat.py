from conftest import assert_well_formed, make_job

RACY_COUNTER = """
    import threading, time

    counter = 0

    def increment_many():
        global counter
        for _ in range(100):
            value = counter
            time.sleep(0)  # lets another thread run between the read and the write
            counter = value + 1

    threads = [threading.Thread(target=increment_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(counter)
"""


def test_repeat_exposes_a_race(harness):
    result = harness.run({"main.py": RACY_COUNTER}, make_job(mode="repeat", repeat={"times": 8, "timeoutS": 10}))
    assert result.returncode == 0, result.stderr
    document = result.document
    assert_well_formed(document, "repeat")
    assert document["times"] == 8
    outcomes = document["outcomes"]
    assert sum(outcome["count"] for outcome in outcomes) == 8
    assert len(outcomes) > 1, outcomes
    assert [o["count"] for o in outcomes] == sorted((o["count"] for o in outcomes), reverse=True)
    assert all(o["exitCode"] == 0 and int(o["stdout"]) <= 400 for o in outcomes)
    assert document["childrenMaxRssKb"] > 0


def test_repeat_reports_timeouts_and_stderr(harness):
    files = {
        "main.py": """
            import sys, time
            print("started", flush=True)
            if len(sys.argv) > 1:
                time.sleep(60)
            sys.exit("failed on purpose")
        """
    }
    result = harness.run(files, make_job(mode="repeat", argv=["hang"], repeat={"times": 2, "timeoutS": 0.5}))
    assert result.returncode == 0
    (outcome,) = result.document["outcomes"]
    assert outcome == {
        "exitCode": None,
        "stdout": "started\n",
        "count": 2,
        "stderrSample": "[perflab: run timed out after 0.5 s and was killed]",
    }

    result = harness.run({}, make_job(mode="repeat", repeat={"times": 2, "timeoutS": 10}))
    (outcome,) = result.document["outcomes"]
    assert (outcome["exitCode"], outcome["count"], outcome["stderrSample"]) == (1, 2, "failed on purpose\n")
