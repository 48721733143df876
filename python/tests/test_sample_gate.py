"""The sample gate: with job.sampleGate the learner process stops itself (SIGSTOP) after its
setup and before any learner code, until the host continues it (SIGCONT)."""

import json
import os
import signal
import threading
import time

from conftest import _read_all, assert_well_formed, make_job

PROGRAM = """
    import os

    with open("ran.txt", "w") as marker:
        marker.write(str(os.getpid()))
    print("ran")
"""


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(child) for child in children.read().split()]
    except OSError:
        return []


def _state(pid):
    with open(f"/proc/{pid}/stat", "rb") as stat:
        return stat.read().rsplit(b")", 1)[1].split()[0].decode()


def _wait_for_stopped_child(parent_pid, timeout_s=30):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for child in _children(parent_pid):
            try:
                if _state(child) == "T":
                    return child
            except OSError:
                pass
        time.sleep(0.02)
    raise AssertionError("the learner process never stopped at the sample gate")


def test_learner_process_waits_stopped_until_continued(harness):
    process, read_fd = harness.start({"main.py": PROGRAM}, make_job(mode="run", sampleGate=True))
    chunks = []
    reader = threading.Thread(target=_read_all, args=(read_fd, chunks))
    reader.start()
    try:
        # The harness process is the supervisor; the learner process is its child.
        learner_pid = _wait_for_stopped_child(process.pid)
        time.sleep(0.3)
        assert _state(learner_pid) == "T"
        assert not (harness.work_dir / "ran.txt").exists(), "learner code ran before the gate opened"
        os.kill(learner_pid, signal.SIGCONT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    reader.join(60)
    assert process.returncode == 0, stderr
    assert stdout == b"ran\n"
    assert (harness.work_dir / "ran.txt").read_text() == str(learner_pid)
    document = json.loads(b"".join(chunks))
    assert_well_formed(document, "run")
    assert document["exitCode"] == 0 and document["learnerReport"] == "received"
