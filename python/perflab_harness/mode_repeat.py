"""repeat: run the program many times and group what it did, to expose nondeterminism
(races, unordered iteration, timing-dependent output).

Each run is `python /work/ENTRY ARGV...` in the work dir, one after another, with stdin
closed. Runs are grouped by (exit code, stdout); a run that hit the per-run timeout or was
killed by a signal has exit code null, and its stderr sample says why.
"""

import os
import signal
import subprocess
import sys

# A group keeps its stdout for display; the grouping itself compares whole outputs.
MAX_STDOUT_CHARS = 64 * 1024
MAX_STDERR_SAMPLE_CHARS = 4 * 1024
# After a kill, how long to wait for the pipes to close before giving up on them.
KILL_GRACE_S = 5.0


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
    env = None
    switch_interval_s = getattr(context.run, "switch_interval_s", None)
    if switch_interval_s is not None:
        # The harness took the variable out of its own environment; each run gets it back
        # for its start-up hook, which applies it and removes it again before the program.
        # CPython keeps whole microseconds, rounding down: half a microsecond more makes the
        # run's interval the very one this process has.
        env = {**os.environ, "PERFLAB_SWITCH_INTERVAL_S": repr(switch_interval_s + 5e-7)}
    process = subprocess.Popen(
        [sys.executable, context.entry_path, *job.argv],
        cwd=context.work_dir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # Its own process group, so a timeout kills whatever the run started as well.
        process_group=0,
    )
    note = None
    try:
        stdout_bytes, stderr_bytes = process.communicate(timeout=job.repeat_timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        note = f"[perflab: run timed out after {job.repeat_timeout_s:g} s and was killed]"
        try:
            stdout_bytes, stderr_bytes = process.communicate(timeout=KILL_GRACE_S)
        except subprocess.TimeoutExpired:
            # Something escaped the group and holds the pipes open: give up on its output.
            stdout_bytes, stderr_bytes = b"", b""
            process.kill()
            process.wait()
    finally:
        _kill_group(process)  # leftovers of a run that ended by itself
    exit_code = process.returncode
    if exit_code is not None and exit_code < 0:
        if note is None:
            note = f"[perflab: run killed by {_signal_name(-exit_code)}]"
        exit_code = None
    elif note is not None:
        exit_code = None
    stdout = stdout_bytes.decode("utf-8", errors="replace")
    stderr = stderr_bytes.decode("utf-8", errors="replace")
    stderr_sample = _truncated(stderr, MAX_STDERR_SAMPLE_CHARS)
    if note is not None:
        stderr_sample = f"{stderr_sample}\n{note}" if stderr_sample else note
    return exit_code, stdout, stderr_sample


def _kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
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
