"""repeat: run the program many times and group what it did, to expose nondeterminism
(races, unordered iteration, timing-dependent output).

Each run is a fork of the learner process, made before any learner code ran, that runs the
program exactly as run mode does (as `python /work/ENTRY ARGV...` would), one after another,
each in its own process group, with stdin closed and no descriptor but 0, 1 and 2. A fork
costs about a millisecond where a new interpreter cost tens, and it inherits the thread
switch interval the race check asked for without any variable in its environment. Runs are
grouped by (exit code, stdout); a run that hit the per-run timeout or was
killed by a signal has exit code null, and its stderr sample says why.
"""

import os
import select
import signal
import sys
import time

from perflab_harness.program import run_entry
from perflab_harness.sandbox_setup import close_inherited_fds

# A group keeps its stdout for display; the grouping itself compares whole outputs.
MAX_STDOUT_CHARS = 64 * 1024
MAX_STDERR_SAMPLE_CHARS = 4 * 1024
# After a kill, how long to wait for the pipes to close before giving up on them.
KILL_GRACE_S = 5.0
READ_CHUNK_BYTES = 1 << 16


def empty_fields():
    return {"times": 0, "outcomes": []}


def run(context):
    job = context.job
    groups = {}
    for _ in range(job.repeat_times):
        exit_code, stdout, stderr_sample = _run_once(context)
        key = (exit_code, stdout)
        if key in groups:
            groups[key]["count"] += 1
        else:
            groups[key] = {
                "exitCode": exit_code,
                "stdout": _truncated(stdout, MAX_STDOUT_CHARS),
                "count": 1,
                "stderrSample": stderr_sample,
            }
    # Most frequent first; among equals, the order they first appeared (dicts keep it).
    outcomes = sorted(groups.values(), key=lambda outcome: -outcome["count"])
    context.run.mode_fields = {"times": job.repeat_times, "outcomes": outcomes}
    return None


def _run_once(context):
    job = context.job
    stdout_read, stdout_write = os.pipe()
    stderr_read, stderr_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _become_run(stdout_write, stderr_write)
        _run_program(context)  # never returns
    os.close(stdout_write)
    os.close(stderr_write)
    try:
        os.setpgid(pid, pid)  # also done in the child; whichever comes first
    except OSError:
        pass
    note = None
    deadline_s = time.monotonic() + job.repeat_timeout_s
    streams = _Streams(stdout_read, stderr_read)
    if not streams.read_until(deadline_s):
        _kill_group(pid)
        note = f"[perflab: run timed out after {job.repeat_timeout_s:g} s and was killed]"
        if not streams.read_until(time.monotonic() + KILL_GRACE_S):
            # Something escaped the group and holds the pipes open: give up on its output.
            streams.discard()
    streams.close()
    _kill_group(pid)  # leftovers of a run that ended by itself
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        exit_code = None
        if note is None:
            note = f"[perflab: run killed by {_signal_name(os.WTERMSIG(status))}]"
    elif note is not None:
        exit_code = None
    else:
        exit_code = os.WEXITSTATUS(status)
    stdout = streams.text(stdout_read)
    stderr = streams.text(stderr_read)
    stderr_sample = _truncated(stderr, MAX_STDERR_SAMPLE_CHARS)
    if note is not None:
        stderr_sample = f"{stderr_sample}\n{note}" if stderr_sample else note
    return exit_code, stdout, stderr_sample


def _become_run(stdout_write, stderr_write):
    """In the forked run: its own process group, stdin closed, output to the pipes, and no
    other descriptor."""
    try:
        os.setpgid(0, 0)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(stdout_write, 1)
        os.dup2(stderr_write, 2)
        close_inherited_fds()
    except BaseException:  # noqa: B902 - never run the program half set up
        os._exit(255)


def _run_program(context):
    """Runs the program in this (forked) process and leaves the way `python ENTRY` would: a
    SystemExit through the interpreter, which joins threads, runs atexit handlers, prints a
    string exit code and exits with the status."""
    outcome = run_entry(context.entry_path, context.locator)
    if outcome.system_exit is not None:
        raise outcome.system_exit.with_traceback(None)
    raise SystemExit(outcome.exit_code)


class _Streams:
    """Reads a run's stdout and stderr pipes together until both close or a deadline."""

    def __init__(self, *fds):
        self.chunks = {fd: [] for fd in fds}
        self.open = set(fds)
        self.poller = select.poll()
        for fd in fds:
            self.poller.register(fd, select.POLLIN)

    def read_until(self, deadline_s):
        """True when every pipe reached EOF before the deadline."""
        while self.open:
            remaining_ms = (deadline_s - time.monotonic()) * 1000
            if remaining_ms <= 0:
                return False
            for fd, _ in self.poller.poll(max(1, int(remaining_ms))):
                chunk = os.read(fd, READ_CHUNK_BYTES)
                if chunk:
                    self.chunks[fd].append(chunk)
                else:
                    self.poller.unregister(fd)
                    self.open.discard(fd)
        return True

    def discard(self):
        for fd in self.chunks:
            self.chunks[fd] = []

    def close(self):
        for fd in self.chunks:
            os.close(fd)

    def text(self, fd):
        return b"".join(self.chunks[fd]).decode("utf-8", errors="replace")


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _truncated(text, limit):
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[perflab: {len(text) - limit} more characters not shown]"
