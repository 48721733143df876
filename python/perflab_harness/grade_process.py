# Over 400 lines: WorkerProcess is one state machine (start, deadline reads, replies, failure sentences).
"""Grading workers as the grader sees them: starting one, talking to it with a deadline on
every request, timing calls with the grader's own clock, reading its memory from /proc, and
turning every way a worker can fail (exit, crash, hang, garbage on the pipe) into one
sentence for the learner.

Everything a worker sends is hostile input: frames are size-checked, JSON is parsed and
checked field by field, values are decoded by grade_values, and no read waits without a
deadline.
"""

import json
import os
import pickle
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from perflab_harness import grade_values
from perflab_harness.grade_worker import FDS_ENV, HEADER_BYTES, MAX_FRAME_BYTES, MAX_VALUE_DEPTH, MAX_VALUE_NODES
from perflab_harness.sandbox_setup import copy_input_tree

LEARNER, REFERENCE, STARTER = "learner", "reference", "starter"
WHO = {LEARNER: "your code", REFERENCE: "the reference solution", STARTER: "the starter code"}

OUTPUT_CAP_BYTES = 64 * 1024
OUTPUT_TAIL_CHARS = 1500
ERROR_TEXT_CHARS = 2000
READ_CHUNK_BYTES = 1 << 20
# Without a pidfd, how often a wait looks whether the worker is still alive.
POLL_SLICE_S = 0.05
# How long a worker whose pipe closed may take to finish exiting before it counts as alive.
EXIT_GRACE_S = 0.5
# The harness package's parent folder: workers must be able to import perflab_harness.
_HARNESS_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The grader's own interpreter (tests outside the sandbox may name one that every uid can run).
WORKER_PYTHON = sys.executable


class WorkerFailure(Exception):
    """A worker gave no usable answer; `sentence` says why, for the learner."""

    def __init__(self, sentence, timed_out=False):
        super().__init__(sentence)
        self.sentence = sentence
        self.timed_out = timed_out


@dataclass
class CallOutcome:
    elapsed_s: float  # request sent → calls returned, grader's clock
    value: object


@dataclass
class _Task:
    subject: str  # "words.count" or "importing words": what raised, what did not finish
    during: str  # "before words.count returned", "while importing words"
    at_import: bool = False
    at_startup: bool = False  # before any exercise code ran: a failure is not the learner's


class _CapturedOutput:
    """A worker's stdout or stderr: the first OUTPUT_CAP_BYTES are kept, the rest is read
    and dropped so that a chatty worker never blocks on a full pipe."""

    def __init__(self, stream):
        self.stream = stream
        self.fd = stream.fileno()
        os.set_blocking(self.fd, False)
        self.data = bytearray()
        self.open = True

    def drain(self):
        while self.open:
            try:
                chunk = os.read(self.fd, READ_CHUNK_BYTES)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self.open = False
                return
            room = OUTPUT_CAP_BYTES - len(self.data)
            if room > 0:
                self.data += chunk[:room]

    def tail(self):
        text = self.data.decode("utf-8", "replace").strip()
        if len(text) > OUTPUT_TAIL_CHARS:
            text = "…" + text[-OUTPUT_TAIL_CHARS:]
        return text


def worker_environment(extra_env=None):
    """The grader's own environment (that of a normal run), so nothing says "graded"."""
    env = dict(os.environ)
    paths = [path for path in env.get("PYTHONPATH", "").split(os.pathsep) if path]
    if not any(os.path.abspath(path) == _HARNESS_ROOT for path in paths):
        env["PYTHONPATH"] = os.pathsep.join([*paths, _HARNESS_ROOT])
    env.update(extra_env or {})
    return env


def _worker_command(side):
    # -P (3.11+): the cwd is not put on sys.path before the worker's own imports, so a
    # learner file named like a stdlib module cannot replace them; the worker adds the cwd
    # itself before importing exercise code.
    safe_path = ["-P"] if sys.version_info >= (3, 11) else []
    # -s for the starter and reference: no user site-packages, a folder under $HOME that
    # learner code can write (a .pth file there runs in every later interpreter). The
    # learner's worker starts like a normal run, so nothing tells its code it is graded.
    no_user_site = [] if side == LEARNER else ["-s"]
    return [WORKER_PYTHON, *safe_path, *no_user_site, "-m", "perflab_harness.grade_worker"]


def _chown_tree(folder, identity):
    uid, gid = identity
    os.lchown(folder, uid, gid)
    for parent, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.lchown(os.path.join(parent, name), uid, gid)


# -- processes learner code left behind --------------------------------------------------------

# Passes of kill-and-look before a sweep gives up (each pass kills everything it saw, and a
# process with a SIGKILL pending cannot fork, so a tree shrinks with every pass).
SWEEP_PASSES = 50
SWEEP_PAUSE_S = 0.002


def _real_uid(pid):
    with open(f"/proc/{pid}/status", "rb") as status:
        for line in status:
            if line.startswith(b"Uid:"):
                return int(line.split()[1])
    return None


def _process_table(with_uids):
    """{pid: (parent pid, state letter, real uid or None)} for every process in /proc."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rpartition(b")")[2].split()
            uid = _real_uid(name) if with_uids else None
            table[int(name)] = (int(fields[1]), fields[0].decode("ascii", "replace"), uid)
        except (OSError, ValueError, IndexError):
            continue  # exited meanwhile
    return table


def _below(table, roots):
    children = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, stack = set(), list(roots)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def sweep_strays(keep=(), uid=None):
    """SIGKILLs every process below this one (the grader) except the live workers in `keep`
    and their descendants, and, when `uid` is given, every process running as that uid; reaps
    those that became our children. Returns True when nothing was left.

    Learner code can leave processes behind that killing the worker's process group misses
    (setsid, a double fork): they must not run on beside the next worker, where they could
    slow the starter down (SIGSTOP, burning CPU) or read it. The grader is a child subreaper
    (mode_grade), so orphans of learner code become its children, not the sandbox init's."""
    me = os.getpid()
    by_uid = uid is not None and uid != os.getuid()
    for _ in range(SWEEP_PASSES):
        table = _process_table(with_uids=by_uid)
        kept = set(keep) | _below(table, keep)
        targets = _below(table, [me]) - kept
        if by_uid:
            targets |= {pid for pid, (_, _, owner) in table.items() if owner == uid} - kept - {me}
        for pid in targets:
            if table[pid][1] != "Z":
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        for pid in targets:
            if table[pid][0] == me:
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
        if not targets:
            return True
        time.sleep(SWEEP_PAUSE_S)
    return False


# Pids of workers started and not yet closed: a sweep spares them.
_live_workers = set()


def _copy_data_files(input_dir, target_dir):
    """The job's files other than Python sources: the data files a starter or reference
    module may read. Their modules come from the hidden tree, in memory."""
    copy_input_tree(input_dir, target_dir)
    for folder, _, files in os.walk(target_dir):
        for name in files:
            if name.endswith((".py", ".pyc")):
                os.unlink(os.path.join(folder, name))


def _clip(text, limit=ERROR_TEXT_CHARS):
    return text if len(text) <= limit else text[: limit - 1] + "…"


class WorkerProcess:
    """One fresh worker: `side` is learner, starter or reference. Use as a context manager;
    closing kills the worker's whole process group and every process it left behind."""

    def __init__(self, side, input_dir, tree=None, extra_env=None, identity=None):
        self.side = side
        # (uid, gid) the worker runs as, or None for the grader's own. Given when the grader
        # runs as root: each side then has a uid of its own, so no side can signal, ptrace or
        # read another side or the grader, and whatever a side left running is found by uid.
        self.identity = identity
        self.who = WHO[side]
        self._input_dir = input_dir
        self._tree = tree
        self._extra_env = extra_env
        self._process = None
        self._pidfd = None
        self._cwd = None
        self._request_fd = None
        self._reply_fd = None
        self._outputs = []
        self._alive = False

    def __enter__(self):
        if self._process is None:
            try:
                self.start()
            except BaseException:
                self.close()  # __exit__ does not run when __enter__ fails
                raise
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- life cycle ---------------------------------------------------------------------

    def start(self, timeout_s=30.0):
        try:
            self._cwd = tempfile.mkdtemp()
            if self.side == LEARNER:
                copy_input_tree(self._input_dir, self._cwd)
            elif os.path.isdir(self._input_dir):
                _copy_data_files(self._input_dir, self._cwd)
            if self.identity is not None:
                _chown_tree(self._cwd, self.identity)
        except OSError as error:
            raise WorkerFailure(f"cannot prepare a folder for {self.who}: {error}") from None
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        env = worker_environment(self._extra_env)
        env[FDS_ENV] = f"{request_read},{reply_write}"
        drop = {}
        if self.identity is not None:
            drop = {"user": self.identity[0], "group": self.identity[1], "extra_groups": []}
        try:
            self._process = subprocess.Popen(
                _worker_command(self.side),
                cwd=self._cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(request_read, reply_write),
                # Its own process group: closing kills it whole (and sweep_strays what left it).
                start_new_session=True,
                **drop,
            )
        except (OSError, subprocess.SubprocessError) as error:
            for fd in (request_read, request_write, reply_read, reply_write):
                os.close(fd)
            raise WorkerFailure(f"cannot start a worker process for {self.who}: {error}") from None
        finally:
            if self._process is not None:
                os.close(request_read)
                os.close(reply_write)
        self._alive = True
        _live_workers.add(self._process.pid)
        self._request_fd, self._reply_fd = request_write, reply_read
        os.set_blocking(self._request_fd, False)
        os.set_blocking(self._reply_fd, False)
        self._outputs = [_CapturedOutput(self._process.stderr), _CapturedOutput(self._process.stdout)]
        try:
            self._pidfd = os.pidfd_open(self._process.pid)
        except (AttributeError, OSError):
            self._pidfd = None  # old kernel: liveness is polled instead
        task = _Task("starting the worker", "while the worker was starting", at_startup=True)
        if self.identity is not None:
            # Fail closed: a worker that is not running as its own uid gets no tree and no input.
            try:
                running_as = _real_uid(self._process.pid)
            except OSError:
                running_as = None
            if running_as != self.identity[0]:
                self.close()
                raise WorkerFailure(f"the worker process for {self.who} did not start as uid {self.identity[0]}")
        self._expect_ok(self._exchange({"op": "setup", "tree": self._tree}, task, timeout_s), task)

    def close(self):
        if self._process is not None:
            self._kill()
            for output in self._outputs:
                output.drain()
                output.stream.close()
            self._outputs = []
        for fd in (self._request_fd, self._reply_fd, self._pidfd):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._request_fd = self._reply_fd = self._pidfd = None
        if self._process is not None and self._process.pid in _live_workers:
            _live_workers.discard(self._process.pid)
            # Whatever the worker's code started and detached from its group dies with it.
            sweep_strays(keep=_live_workers, uid=None if self.identity is None else self.identity[0])
        if self._cwd is not None:
            shutil.rmtree(self._cwd, ignore_errors=True)
            self._cwd = None

    def _kill(self):
        """SIGKILL to the whole group, then reap. The group is signalled before the worker
        is reaped, while its pid cannot have been reused."""
        self._alive = False
        if self._process.returncode is None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass

    # -- requests -----------------------------------------------------------------------

    def import_module(self, module, timeout_s):
        task = _Task(f"importing {module}", f"while importing {module}", at_import=True)
        reply = self._exchange({"op": "import", "module": module}, task, timeout_s)
        self._expect_ok(reply, task)

    def call(self, function_path, args, kwargs, loops, timeout_s):
        """Calls `module.function` `loops` times on this input: the elapsed time runs from
        sending the request (which carries the input) to the last byte of the reply, which
        carries the result. Whoever times a call must check that result: learner code can
        write a reply of its own before doing the work (see grade_worker)."""
        name = function_path.rpartition(".")[2]
        task = _Task(function_path, f"before {function_path} returned")
        request = {"op": "call", "function": name, "args": tuple(args), "kwargs": dict(kwargs), "loops": loops}
        return self._timed_value(request, task, timeout_s)

    def call_each(self, function_path, inputs, timeout_s):
        """Calls `module.function` once per (args, kwargs) in `inputs`; the value is the list
        of results, every one of them, for the caller to check. Timed like `call`."""
        name = function_path.rpartition(".")[2]
        task = _Task(function_path, f"before {function_path} returned")
        request = {"op": "call_each", "function": name, "inputs": [(tuple(a), dict(k)) for a, k in inputs]}
        outcome = self._timed_value(request, task, timeout_s)
        if not isinstance(outcome.value, list) or len(outcome.value) != len(inputs):
            raise self._garbled(task)
        return outcome

    def _timed_value(self, request, task, timeout_s):
        reply, elapsed_ns = self._exchange(request, task, timeout_s, timed=True)
        self._expect_ok(reply, task)
        if "value" not in reply:
            raise self._garbled(task)
        try:
            value = grade_values.decode_value(reply["value"])
        except (grade_values.BadValue, RecursionError):
            raise self._garbled(task) from None
        return CallOutcome(elapsed_s=elapsed_ns / 1e9, value=value)

    def ready(self, timeout_s):
        task = _Task("preparing the memory measurement", "while preparing the memory measurement")
        self._expect_ok(self._exchange({"op": "ready"}, task, timeout_s), task)

    def instances(self, function_path, count, timeout_s):
        """Creates and keeps `count` instances; returns (hasDict, className) as the worker says."""
        task = _Task(function_path, f"while {function_path} was creating instances")
        _, _, name = function_path.rpartition(".")
        reply = self._exchange({"op": "instances", "function": name, "count": count}, task, timeout_s)
        self._expect_ok(reply, task)
        has_dict, class_name = reply.get("hasDict"), reply.get("className")
        if not isinstance(has_dict, bool) or not isinstance(class_name, str):
            raise self._garbled(task)
        return has_dict, _clip(class_name, 200)

    def rss_bytes(self):
        """Resident memory of the worker process, read by the grader from /proc."""
        try:
            with open(f"/proc/{self._process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            pass
        raise WorkerFailure(f"cannot read the memory use of {self.who}'s worker process (did it exit?)")

    # -- frames -------------------------------------------------------------------------

    def _exchange(self, message, task, timeout_s, timed=False):
        if not self._alive:
            raise WorkerFailure(f"{self.who}'s worker process is no longer running")
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        frame = len(payload).to_bytes(HEADER_BYTES, "big") + payload
        deadline = time.monotonic() + timeout_s
        started_ns = time.perf_counter_ns()
        self._write_all(frame, deadline, task, timeout_s)
        payload = self._read_payload(deadline, task, timeout_s)
        # The clock stops on the reply's last byte; parsing it is the grader's own time.
        elapsed_ns = time.perf_counter_ns() - started_ns
        reply = self._parse_reply(payload, task)
        if timed:
            return reply, elapsed_ns
        return reply

    def _write_all(self, data, deadline, task, timeout_s):
        view = memoryview(data)
        while view:
            self._wait_for(self._request_fd, select.POLLOUT, deadline, task, timeout_s, partial=False)
            try:
                view = view[os.write(self._request_fd, view) :]
            except BlockingIOError:
                continue
            except OSError:  # EPIPE: the worker is gone
                raise self._died(task) from None

    def _read_payload(self, deadline, task, timeout_s):
        header = self._read_exactly(HEADER_BYTES, deadline, task, timeout_s, partial=False)
        length = int.from_bytes(header, "big")
        if length > MAX_FRAME_BYTES:
            raise self._garbled(task)
        return self._read_exactly(length, deadline, task, timeout_s, partial=True)

    def _parse_reply(self, payload, task):
        try:
            reply = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise self._garbled(task) from None
        if not isinstance(reply, dict):
            raise self._garbled(task)
        return reply

    def _read_exactly(self, count, deadline, task, timeout_s, partial):
        data = bytearray()
        while len(data) < count:
            self._wait_for(self._reply_fd, select.POLLIN, deadline, task, timeout_s, partial=partial or bool(data))
            try:
                chunk = os.read(self._reply_fd, min(count - len(data), READ_CHUNK_BYTES))
            except BlockingIOError:
                continue
            if not chunk:
                # Every writer closed the pipe: the worker exited (or closed the descriptor).
                raise self._died(task)
            data += chunk
        return bytes(data)

    def _wait_for(self, fd, event, deadline, task, timeout_s, partial):
        """Waits until `fd` is ready, draining the worker's output meanwhile; raises when the
        worker died or the deadline passed."""
        poller = select.poll()
        poller.register(fd, event)
        outputs = {output.fd: output for output in self._outputs if output.open}
        for output_fd in outputs:
            poller.register(output_fd, select.POLLIN)
        if self._pidfd is not None:
            poller.register(self._pidfd, select.POLLIN)
        while True:
            remaining_s = deadline - time.monotonic()
            if remaining_s <= 0:
                raise self._timed_out(task, timeout_s, partial)
            slice_s = remaining_s if self._pidfd is not None else min(remaining_s, POLL_SLICE_S)
            events = dict(poller.poll(max(1, int(slice_s * 1000))))
            for output_fd, output in list(outputs.items()):
                if output_fd in events:
                    output.drain()
                    if not output.open:
                        poller.unregister(output_fd)
                        del outputs[output_fd]
            if fd in events:
                return  # ready, or an error/hang-up the read or write itself will report
            if self._pidfd is not None and self._pidfd in events:
                raise self._died(task)
            if self._pidfd is None and self._has_exited():
                raise self._died(task)

    def _exits_within(self, seconds):
        deadline = time.monotonic() + seconds
        while not self._has_exited():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        return True

    def _has_exited(self):
        try:
            # WNOWAIT: look without reaping, so the group can still be signalled safely.
            return os.waitid(os.P_PID, self._process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True

    # -- what went wrong, in words --------------------------------------------------------

    def _output_note(self):
        for output in self._outputs:
            output.drain()
        for label, output in zip(("stderr", "stdout"), self._outputs, strict=True):
            tail = output.tail()
            if tail:
                return f"\nIts {label} ended with:\n{tail}"
        return ""

    def _died(self, task):
        # The reply pipe reaches end-of-file a moment before the process becomes a zombie.
        ended_by_itself = self._exits_within(EXIT_GRACE_S)
        self._kill()
        note = self._output_note()
        status = self._process.returncode
        if not ended_by_itself:
            return WorkerFailure(f"{self.who} closed the worker's connection to the grader {task.during}" + note)
        if status is not None and status < 0:
            try:
                name = signal.Signals(-status).name
            except ValueError:
                name = f"signal {-status}"
            hint = " (out of memory?)" if status == -signal.SIGKILL else ""
            return WorkerFailure(f"{self.who}'s worker process was killed by {name}{hint} {task.during}" + note)
        if task.at_startup:
            return WorkerFailure(f"the worker process for {self.who} could not start (exit status {status})" + note)
        hint = "os._exit() or sys.exit() at import?" if task.at_import else "os._exit()?"
        return WorkerFailure(f"{self.who} ended the worker process {task.during} (exit status {status}; {hint})" + note)

    def _timed_out(self, task, timeout_s, partial):
        self._kill()
        note = self._output_note()
        if partial:
            return WorkerFailure(
                f"{self.who}'s worker sent an incomplete reply {task.during} "
                "(something in it wrote into the grader's pipe)" + note
            )
        return WorkerFailure(
            f"{task.subject} did not finish within {timeout_s:g} s; the worker process was stopped" + note,
            timed_out=True,
        )

    def _garbled(self, task):
        self._kill()
        return WorkerFailure(
            f"{self.who}'s worker sent a garbled reply {task.during} "
            "(something in it wrote into the grader's pipe); its answer was ignored" + self._output_note()
        )

    def _expect_ok(self, reply, task):
        if reply.get("ok") is True:
            return
        error = reply.get("error")
        if reply.get("ok") is not False or not isinstance(error, dict):
            raise self._garbled(task)
        raise WorkerFailure(self._error_sentence(error, task))

    def _error_sentence(self, error, task):
        def field(name):
            value = error.get(name)
            return _clip(value) if isinstance(value, str) else "?"

        kind = error.get("kind")
        prefix = "" if self.side == LEARNER else f"{self.who}: "
        if kind == "exception":
            sentence = f"{task.subject} raised {field('type')}: {field('message')}"
            trace = field("traceback")
            if self.side != LEARNER:
                # Where the starter or reference failed, for the author, but not its source lines.
                trace = "".join(line for line in trace.splitlines(True) if line.startswith("  File "))
            if trace not in ("", "?"):
                sentence += "\n" + trace.rstrip("\n")
            return prefix + sentence
        if kind == "exit":
            ending = "; a module must not exit when imported" if task.at_import else " instead of returning a result"
            return prefix + f"{task.subject} called sys.exit({field('code')}){ending}"
        if kind == "missing":
            return prefix + field("message")
        allowed = "results must be made of int, float, str, bytes, bool, None, list, tuple, dict, set and frozenset"
        if kind == "unsupported":
            what = "a value containing an object" if error.get("nested") is True else "an object"
            return (
                prefix + f"{task.subject} returned {what} of type {field('type')}, which cannot be compared ({allowed})"
            )
        if kind == "too-deep":
            return (
                prefix + f"{task.subject} returned a value nested more than {MAX_VALUE_DEPTH} levels deep "
                "(or one that contains itself), which cannot be compared"
            )
        if kind == "too-large":
            return (
                prefix + f"{task.subject} returned a value too large to compare "
                f"(over {MAX_VALUE_NODES:,} items or {MAX_FRAME_BYTES // 2**20} MB encoded)"
            )
        if kind == "changed":
            return (
                prefix + f"{task.subject} returned a dict or set that changed while it was being read "
                "(is a thread still writing to it?)"
            )
        raise self._garbled(task)
