"""timeline mode: VizTracer's events from every thread, asyncio task and child process."""

from conftest import assert_well_formed, make_job

TIMELINE = {"maxEvents": 200_000, "logAsync": True}

TWO_THREADS = """
    import threading
    import time

    def crunch(rounds):
        total = 0
        for value in range(rounds):
            total += value
        time.sleep(0.02)
        return total

    def main():
        workers = [threading.Thread(target=crunch, args=(20_000,)) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        print("done")

    main()
"""


def _complete_events(document, name_start):
    return [e for e in document["traceEvents"] if e["ph"] == "X" and e.get("name", "").startswith(name_start)]


def test_timeline_has_each_thread_and_its_waits_with_paths_relative(harness):
    result = harness.run({"main.py": TWO_THREADS}, make_job(mode="timeline", timeline=TIMELINE))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "done\n"
    document = result.document
    assert_well_formed(document, "timeline")
    assert document["tracer"]["name"] == "viztracer" and document["tracer"]["version"]
    assert document["droppedEvents"] == 0

    crunches = _complete_events(document, "crunch (main.py:")
    assert len(crunches) == 2
    assert len({event["tid"] for event in crunches}) == 2
    # The C call the host reads a wait from, once on each worker thread.
    sleeps = _complete_events(document, "time.sleep")
    assert {event["tid"] for event in sleeps} == {event["tid"] for event in crunches}
    assert all(event["dur"] >= 15_000 for event in sleeps)  # µs; slept 20 ms
    # The main thread waits for them in join (a lock acquire).
    module = _complete_events(document, "<module> (main.py:1)")
    assert len(module) == 1
    main_tid = module[0]["tid"]
    assert any(e["tid"] == main_tid for e in _complete_events(document, "_thread.lock.acquire"))
    names = {event.get("name", "") for event in document["traceEvents"]}
    assert not any("perflab_harness" in name or "runpy" in name for name in names)
    assert not any(str(result.work_dir) in name for name in names)
    # The program's module is the first thing on the main thread: runpy's exec is cut.
    main_thread = [e for e in document["traceEvents"] if e["ph"] == "X" and e["tid"] == main_tid]
    assert min(main_thread, key=lambda e: e["ts"]) is module[0] or module[0]["ts"] <= min(e["ts"] for e in main_thread)


THREE_TASKS = """
    import asyncio

    async def fetch(index):
        await asyncio.sleep(0.01 * (index + 1))
        return index

    async def main():
        return await asyncio.gather(*(fetch(index) for index in range(3)))

    print(asyncio.run(main()))
"""


def test_timeline_puts_asyncio_tasks_on_lanes_of_their_own(harness):
    result = harness.run({"main.py": THREE_TASKS}, make_job(mode="timeline", timeline=TIMELINE))
    assert result.returncode == 0, result.stderr
    document = result.document
    assert_well_formed(document, "timeline")
    fetches = _complete_events(document, "fetch (main.py:")
    # Each task's coroutine runs on a lane named after the task, not on the main thread.
    assert len({event["tid"] for event in fetches}) == 3
    lane_names = {
        e["tid"]: e["args"]["name"] for e in document["traceEvents"] if e["ph"] == "M" and e["name"] == "thread_name"
    }
    assert all(lane_names.get(event["tid"], "").startswith("Task-") for event in fetches)
    # The event loop's wait is a C call on the main thread.
    assert _complete_events(document, "select.epoll.poll")


def test_timeline_without_log_async_keeps_coroutines_on_the_main_thread(harness):
    job = make_job(mode="timeline", timeline={"maxEvents": 200_000, "logAsync": False})
    result = harness.run({"main.py": THREE_TASKS}, job)
    assert result.returncode == 0, result.stderr
    fetches = _complete_events(result.document, "fetch (main.py:")
    assert fetches and len({event["tid"] for event in fetches}) == 1


POOL = """
    import multiprocessing
    import subprocess
    import sys

    def square(value):
        total = 0
        for step in range(20_000):
            total += step
        return value * value

    if __name__ == "__main__":
        multiprocessing.set_start_method(sys.argv[1])
        with multiprocessing.Pool(2) as pool:
            print(sum(pool.map(square, range(8), chunksize=1)))
        subprocess.run([sys.executable, "child.py"], check=True)
"""
CHILD = """
    def child_work():
        return sum(range(1000))

    print(child_work())
"""


def _pool_run(harness, start_method):
    result = harness.run(
        {"main.py": POOL, "child.py": CHILD}, make_job(mode="timeline", argv=[start_method], timeline=TIMELINE)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "140\n499500\n"
    document = result.document
    assert_well_formed(document, "timeline")
    return document


def test_timeline_merges_fork_pool_workers_and_a_python_subprocess(harness):
    document = _pool_run(harness, "fork")
    squares = _complete_events(document, "square (main.py:")
    assert len(squares) == 8
    worker_pids = {event["pid"] for event in squares}
    learner_pid = _complete_events(document, "<module> (main.py:1)")[0]["pid"]
    # Which of the two workers gets which task is the pool's business (on a loaded machine one
    # may do them all); every task ran in a worker, traced there.
    assert 1 <= len(worker_pids) <= 2 and learner_pid not in worker_pids
    child = _complete_events(document, "child_work (child.py:")
    assert len(child) == 1 and child[0]["pid"] not in worker_pids | {learner_pid}


def test_timeline_merges_spawned_pool_workers(harness):
    document = _pool_run(harness, "spawn")
    squares = _complete_events(document, "square (main.py:")
    learner_pid = _complete_events(document, "<module> (main.py:1)")[0]["pid"]
    assert len(squares) == 8 and learner_pid not in {event["pid"] for event in squares}


def test_timeline_keeps_the_earliest_events_and_counts_the_rest(harness):
    job = make_job(mode="timeline", timeline={"maxEvents": 1000, "logAsync": False})
    # Each call sleeps (a C call of ~1 ms, far above the mode's minimum duration).
    program = """
        import time

        def nap():
            time.sleep(0.0005)

        for _ in range(600):
            nap()
    """
    result = harness.run({"main.py": program}, job)
    assert result.returncode == 0, result.stderr
    document = result.document
    assert_well_formed(document, "timeline")
    # 600 naps of two events each: VizTracer's buffer (maxEvents entries) overflows.
    assert 900 <= len(document["traceEvents"]) <= 1000
    assert document["droppedEvents"] > 0


def test_cap_events_keeps_lane_names_and_the_earliest_within_the_byte_budget():
    from perflab_harness.mode_timeline import cap_events

    names = [{"ph": "M", "name": "thread_name", "pid": 1, "tid": 1, "args": {"name": "MainThread"}}]
    timed = [{"ph": "X", "name": f"f{index}", "pid": 1, "tid": 1, "ts": 100 - index, "dur": 1} for index in range(100)]
    kept, cut = cap_events(names + timed, max_events=11)
    assert kept[0] is names[0] and [event["ts"] for event in kept[1:]] == list(range(1, 11)) and cut == 90
    kept, cut = cap_events(names + timed, max_events=1000, max_bytes=1200)
    assert 5 <= len(kept) <= 11 and cut == 101 - len(kept)
