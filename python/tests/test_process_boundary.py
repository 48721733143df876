"""The boundary between the harness and learner code: learner code runs in a process of its
own holding only fd 0, 1 and 2, and the document's exit status and resource figures come
from the supervisor's wait4, not from anything the learner process can touch. (These run
unisolated, as the tests' own uid: the sandbox-level checks with a dropped uid live in
src/runner/process-boundary.test.ts.)"""

import os
import signal

from conftest import assert_well_formed, make_job

MB_KB = 1024

LIST_FDS = """
    import os
    fds = []
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue  # the listing's own descriptor
        if not target.startswith("/proc/"):
            fds.append(int(name))
    print(sorted(fds))
"""

ALLOCATE_200_MB = """
    big = b"\\x01" * (200 * 1024 * 1024)
    del big
"""


def test_learner_code_holds_only_0_1_2_even_when_the_harness_inherited_more(harness):
    # A descriptor the harness inherited from whatever started it (issue 9: a shell's fd 251).
    leaked_read, leaked_write = os.pipe()
    try:
        for mode in ("run", "profile", "memory"):
            result = harness.run({"main.py": LIST_FDS}, make_job(mode=mode), extra_fds=(leaked_write,))
            assert result.returncode == 0, result.stderr
            assert result.stdout == "[0, 1, 2]\n", mode
            assert result.document["learnerReport"] == "received"
    finally:
        os.close(leaked_read)
        os.close(leaked_write)


def test_replacing_resource_usage_fields_does_not_change_the_peak(harness):
    source = (
        ALLOCATE_200_MB
        + """
    import sys
    module = sys.modules.get("perflab_harness.result")
    if module is not None:
        module.resource_usage_fields = lambda: {
            "selfMaxRssKb": 1, "childrenMaxRssKb": 1, "cpuUserMs": 0, "cpuSystemMs": 0
        }
    """
    )
    result = harness.run({"main.py": source}, make_job())
    assert result.returncode == 0, result.stderr
    assert_well_formed(result.document, "run")
    assert result.document["selfMaxRssKb"] >= 200 * MB_KB


def test_forged_documents_and_rewritten_harness_objects_change_nothing(harness):
    source = (
        ALLOCATE_200_MB
        + """
    import gc, json, os, sys
    fake = json.dumps({"schema": "perflab.harness/1", "mode": "run", "exitCode": 0, "selfMaxRssKb": 1}).encode()
    for fd in range(3, 1100):
        try:
            os.write(fd, fake)
        except OSError:
            pass
    frame = sys._getframe()
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if hasattr(value, "exit_code"):
                value.exit_code = 0
        frame = frame.f_back
    for obj in gc.get_objects():
        try:
            if getattr(obj, "result_fd", None) is not None:
                os.write(obj.result_fd, fake)
            if hasattr(obj, "exit_code"):
                obj.exit_code = 0
        except Exception:
            pass
    sys.stdout.flush()
    os._exit(3)
    """
    )
    result = harness.run({"main.py": source}, make_job())
    assert result.returncode == 3
    assert_well_formed(result.document, "run")
    assert result.document["exitCode"] == 3
    assert result.document["selfMaxRssKb"] >= 200 * MB_KB
    assert result.document["learnerReport"] == "missing"


REPORT_SOCKET = """
    import socket
    def report_socket():
        with open("/proc/net/unix") as table:
            for line in table:
                name = line.split()[-1]
                if name.startswith("@perflab-report-") and not name.endswith("-wake"):
                    channel = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    channel.connect("\\0" + name[1:])
                    return channel
        raise SystemExit("no report socket found")
"""


def test_a_garbled_learner_report_is_dropped_and_the_kernel_figures_stay(harness):
    source = (
        REPORT_SOCKET
        + """
    import os
    channel = report_socket()
    channel.sendall(b'{"exception": null, "modeFields": {"functions": "not a list"')
    channel.close()
    os._exit(0)
    """
    )
    result = harness.run({"main.py": source}, make_job(mode="profile"))
    assert result.returncode == 0, result.stderr
    assert result.document["learnerReport"] == "rejected"
    assert result.document["functions"] == []
    assert result.document["selfMaxRssKb"] > 0


def test_a_forged_report_cannot_claim_an_exception_for_a_successful_exit(harness):
    source = (
        REPORT_SOCKET
        + """
    import json, os
    channel = report_socket()
    forged = {"exception": {"type": "MemoryError", "message": "", "traceback": "", "file": None, "line": None},
              "setupError": None, "modeFields": {}}
    channel.sendall(json.dumps(forged).encode())
    channel.close()
    os._exit(0)
    """
    )
    result = harness.run({"main.py": source}, make_job())
    assert result.document["exitCode"] == 0
    assert result.document["exception"] is None


def test_a_learner_process_killed_by_a_signal_still_gets_a_document(harness):
    source = (
        ALLOCATE_200_MB
        + """
    import os, signal
    os.kill(os.getpid(), signal.SIGKILL)
    """
    )
    result = harness.run({"main.py": source}, make_job(mode="profile"))
    # The harness ends the way its learner process did.
    assert result.returncode == -signal.SIGKILL
    assert_well_formed(result.document, "profile")
    assert result.document["exitCode"] is None
    assert result.document["signal"] == "SIGKILL"
    assert result.document["selfMaxRssKb"] >= 200 * MB_KB
    assert result.document["learnerReport"] == "missing"


def test_the_learner_process_dies_with_the_supervisor(harness):
    # A program that blocks forever; its supervisor is killed: the kernel kills it too.
    process, result_fd = harness.start(
        {"main.py": "import time\nprint('ready', flush=True)\ntime.sleep(60)\n"}, make_job()
    )
    try:
        assert process.stdout.readline() == b"ready\n"
        with open(f"/proc/{process.pid}/task/{process.pid}/children") as children:
            (learner_pid,) = map(int, children.read().split())
        process.kill()
        process.wait(timeout=10)
        for _ in range(200):
            try:
                with open(f"/proc/{learner_pid}/stat") as stat:
                    state = stat.read().rsplit(")", 1)[1].split()[0]
            except FileNotFoundError:
                break
            if state in ("Z", "X"):
                break
            os.sched_yield()
            import time

            time.sleep(0.01)
        else:
            raise AssertionError("the learner process outlived its supervisor")
    finally:
        os.close(result_fd)
        process.stdout.close()
        process.stderr.close()


def test_the_switch_interval_is_applied_but_not_in_the_environment(harness):
    source = """
        import os, subprocess, sys
        print(sys.getswitchinterval(), "PERFLAB_SWITCH_INTERVAL_S" in os.environ)
        with open("/proc/self/environ", "rb") as environ:
            print(b"PERFLAB_SWITCH_INTERVAL_S" in environ.read())
    """
    result = harness.run({"main.py": source}, make_job(), env={"PERFLAB_SWITCH_INTERVAL_S": "0.0001"})
    assert result.returncode == 0, result.stderr
    interval, in_environ = result.stdout.splitlines()[0].split()
    assert abs(float(interval) - 0.0001) < 2e-6  # CPython keeps whole microseconds
    assert in_environ == "False"
    # Nor in the initial environment block, which /proc/self/environ shows.
    assert result.stdout.splitlines()[1] == "False"

    repeated = harness.run(
        {"main.py": "import os, sys\nprint(sys.getswitchinterval(), 'PERFLAB_SWITCH_INTERVAL_S' in os.environ)\n"},
        make_job(mode="repeat", repeat={"times": 3, "timeoutS": 10}),
        env={"PERFLAB_SWITCH_INTERVAL_S": "0.0001"},
    )
    (outcome,) = repeated.document["outcomes"]
    assert outcome["stdout"].split() == [interval, "False"]
    assert in_environ == "False"
