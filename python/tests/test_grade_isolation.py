"""Grade mode as root: each side runs under its own uid and cannot reach another."""

import os
import sys

import pytest
from grade_support import (
    FETCHER,
    KEYS_INPUT,
    PAIRS_INPUTS,
    PAIRS_LINEAR,
    PAIRS_QUADRATIC,
    VALUES_CASES,
    correctness,
    dedent,
    overlap_check,
    speed,
)

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
