import json
import os
import signal
import socket
import subprocess
import sys
import time

from conftest import STARTUP_DIR, make_job, save_document_for_contract_check

ACCEPT_TIMEOUT_S = 10
READ_SYSCALL_NUMBER = {"x86_64": "0", "aarch64": "63"}.get(os.uname().machine, "?")


class DiagSocket:
    """The host's end of the stack-dump channel: accepts connections, one document each."""

    def __init__(self, path):
        self.path = str(path)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(8)
        self.server.settimeout(ACCEPT_TIMEOUT_S)

    def receive(self):
        connection, _ = self.server.accept()
        with connection:
            connection.settimeout(ACCEPT_TIMEOUT_S)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        document = json.loads(b"".join(chunks))
        save_document_for_contract_check(document)
        return document

    def close(self):
        self.server.close()


def wait_for_line(stream, expected):
    line = stream.readline().decode()
    assert line == expected, line


def wait_until_reading_stdin(pid, timeout_s=5.0):
    """Until the process sits in read(0, ...): the kernel's /proc/PID/syscall says so."""
    deadline_s = time.monotonic() + timeout_s
    while time.monotonic() < deadline_s:
        try:
            with open(f"/proc/{pid}/syscall") as syscall_file:
                fields = syscall_file.read().split()
        except OSError:
            fields = []
        if fields[:2] == [READ_SYSCALL_NUMBER, "0x0"]:  # read(), first argument fd 0
            return
        time.sleep(0.01)
    time.sleep(0.3)  # cannot tell: give input() time to start blocking


def only_child_of(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        (child,) = children.read().split()
    return int(child)


def test_sigusr1_dumps_every_thread_with_the_main_one_blocked_in_input(harness, tmp_path):
    diag = DiagSocket(tmp_path / "diag.sock")
    files = {
        "main.py": """
            import threading, time

            def background():
                time.sleep(60)

            def ask_name():
                return input("name? ")

            threading.Thread(target=background, name="sleeper", daemon=True).start()
            print("ready", flush=True)
            ask_name()
        """
    }
    # A pipe that never delivers: input() blocks like at a terminal nobody types into.
    stdin_read, stdin_write = os.pipe()
    process, result_fd = harness.start(files, make_job(), stdin=stdin_read, env={"PERFLAB_DIAG_SOCKET": diag.path})
    os.close(stdin_read)
    try:
        wait_for_line(process.stdout, "ready\n")
        # The program runs in the learner process, the harness's only child; the harness
        # itself (the supervisor) ignores SIGUSR1.
        learner_pid = only_child_of(process.pid)
        wait_until_reading_stdin(learner_pid)
        process.send_signal(signal.SIGUSR1)
        os.kill(learner_pid, signal.SIGUSR1)
        dump = diag.receive()
    finally:
        os.close(stdin_write)  # input() now sees EOF and the program ends
        process.communicate(timeout=30)
        os.close(result_fd)
        diag.close()

    assert dump["schema"] == "perflab.stacks/1"
    assert dump["pid"] == learner_pid and dump["ppid"] == process.pid
    assert dump["argv"] == [str(harness.work_dir / "main.py")]
    main, sleeper = dump["threads"]
    assert (main["name"], main["isMain"], main["daemon"]) == ("MainThread", True, False)
    # Outermost first, only the program's frames, paths relative to the work dir.
    assert [(f["file"], f["line"], f["function"], f["code"]) for f in main["frames"]] == [
        ("main.py", 11, "<module>", "ask_name()"),
        ("main.py", 7, "ask_name", 'return input("name? ")'),
    ]
    assert (sleeper["name"], sleeper["isMain"], sleeper["daemon"]) == ("sleeper", False, True)
    assert sleeper["frames"][-1] == {"file": "main.py", "line": 4, "function": "background", "code": "time.sleep(60)"}
    assert process.returncode == 1  # EOFError from input()


def test_sigusr1_handler_survives_fork_and_never_disturbs_the_program(tmp_path):
    diag = DiagSocket(tmp_path / "diag.sock")
    program = tmp_path / "forker.py"
    program.write_text(
        "import os, sys, time\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    print('child', os.getpid(), flush=True)\n"
        "    time.sleep(0.5)\n"
        "    print('child still fine', flush=True)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
    )
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(STARTUP_DIR),
        "PERFLAB_DIAG_SOCKET": diag.path,
        "PERFLAB_WORK_DIR": str(tmp_path),
    }
    process = subprocess.Popen([sys.executable, str(program)], env=env, stdout=subprocess.PIPE)
    try:
        line = process.stdout.readline().decode().split()
        child_pid = int(line[1])
        os.kill(child_pid, signal.SIGUSR1)
        dump = diag.receive()
        # With nobody listening, the handler's failure to connect must stay invisible.
        diag.close()
        os.kill(child_pid, signal.SIGUSR1)
        rest, _ = process.communicate(timeout=30)
    finally:
        diag.close()
    assert dump["pid"] == child_pid and dump["ppid"] == process.pid
    (main,) = dump["threads"]
    # The signal lands during the print() or the sleep() after it.
    assert (main["frames"][-1]["file"], main["frames"][-1]["function"]) == ("forker.py", "<module>")
    assert main["frames"][-1]["line"] in (4, 5)
    assert rest.decode() == "child still fine\n"
    assert process.returncode == 0


def _modules_after_startup(env):
    code = "import sys; print(' '.join(sorted(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    return set(output.split())


def test_startup_hook_is_cheap_and_applies_switch_interval(tmp_path):
    base = {"PATH": os.environ["PATH"], "PYTHONDONTWRITEBYTECODE": "1"}
    hooked = {**base, "PYTHONPATH": str(STARTUP_DIR), "PERFLAB_DIAG_SOCKET": str(tmp_path / "x.sock")}
    # Start-up cost is mostly imports: the hook may add only itself.
    assert _modules_after_startup(hooked) - _modules_after_startup(base) == {"sitecustomize"}

    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.getswitchinterval())"],
        env={**hooked, "PERFLAB_SWITCH_INTERVAL_S": "0.0001"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert abs(float(output) - 0.0001) < 1e-9
    assert time.perf_counter() - started < 5
