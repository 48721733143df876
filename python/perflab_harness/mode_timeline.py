"""timeline: VizTracer around the program, reported as Chrome trace events (ts/dur in µs).

VizTracer records every Python and C function call (C calls such as time.sleep, lock
acquire and select/poll are what the host reads waits from) in every thread started after
tracing began, asyncio tasks as lanes of their own (log_async), and child processes through
its own hooks (viztracer.patch.install_all_hooks): forked multiprocessing workers keep the
tracer and save at their exit, spawn/forkserver workers and `subprocess` runs of Python are
started under `python -m viztracer`. Each child writes result_<pid>.json into a private
temporary directory; the learner process waits for them at its end and merges them.

The events come from the learner process: display only. At most job.timeline.maxEvents are
reported, the earliest; `droppedEvents` counts what the cap cut, plus one per process whose
VizTracer buffer overflowed (its earliest events are lost, and it does not say how many).
"""

import json
import os
import re
import shutil
import tempfile
import time

import viztracer
from viztracer.patch import install_all_hooks

from perflab_harness.paths import is_harness_file
from perflab_harness.program import run_entry

# Calls shorter than this (µs), Python or C, are not recorded. A timeline spans seconds, so
# they would not be visible; recording every one (a tight loop's list.append, min, ...) makes
# VizTracer's buffer and its parse the biggest cost of the mode (measured: a million 1 µs calls
# took 8 s to parse). Waits worth drawing (sleep, lock acquire, select) are far longer.
MIN_DURATION_US = 5
# How long the learner process waits at its end for children still writing their trace.
CHILD_WAIT_S = 5.0
CHILD_POLL_S = 0.05
# The supervisor takes a learner report of up to 64 MB (supervisor.MAX_REPORT_BYTES); the
# events are kept under this many bytes of JSON so the report always fits. ~300 000 events.
MAX_EVENTS_BYTES = 40 * 1024 * 1024
# A child's trace file bigger than this is skipped (a learner-written file, or a runaway).
MAX_CHILD_FILE_BYTES = 256 * 1024 * 1024
# "name (/path/file.py:12)": how VizTracer names a Python function; C functions have no file.
_PYTHON_FUNCTION = re.compile(r" \((.*):(\d+)\)$")
_CHILD_TRACE = re.compile(r"^result_(\d+)\.json$")
_CHILD_PENDING = re.compile(r"^result_(\d+)\.json\.viztmp$")


def empty_fields():
    return {"traceEvents": [], "droppedEvents": 0, "tracer": {"name": "viztracer", "version": viztracer.__version__}}


def child_arguments(job):
    """`viztracer` command-line options for Python children, the same as the parent's."""
    arguments = ["--quiet", "--tracer_entries", str(job.timeline_max_events), "--min_duration", f"{MIN_DURATION_US}us"]
    if job.timeline_log_async:
        arguments.append("--log_async")
    return arguments


def run(context):
    job = context.job
    trace_dir = tempfile.mkdtemp(prefix="perflab-timeline-")
    tracer = viztracer.VizTracer(
        tracer_entries=job.timeline_max_events,
        verbose=0,
        log_async=job.timeline_log_async,
        min_duration=MIN_DURATION_US,
        pid_suffix=True,
        file_info=False,
        dump_raw=True,
        output_file=os.path.join(trace_dir, "result.json"),
    )
    install_all_hooks(tracer, child_arguments(job))
    # µs on the tracer's clock, the one events carry: where the program's own code ended.
    window = {"programEndUs": None}

    def stop_marker():
        window["programEndUs"] = tracer.getts()

    outcome = run_entry(context.entry_path, context.locator, start=tracer.start, stop=stop_marker)
    # Stopped only at exit: non-daemon threads and the program's atexit handlers are traced too.
    context.run.finishers.append(lambda: _report(context, tracer, trace_dir, window))
    return outcome


def _report(context, tracer, trace_dir, window):
    finish_us = tracer.getts()
    tracer.stop()
    tracer.parse()
    own_events = tracer.data["traceEvents"]
    overflowed = 1 if tracer.data["viztracer_metadata"].get("overflow") else 0
    own_events = _learner_main_thread_only(own_events, context, window["programEndUs"], finish_us)
    child_events, child_overflows = _read_children(trace_dir)
    shutil.rmtree(trace_dir, ignore_errors=True)
    events, cut = cap_events(own_events + child_events, context.job.timeline_max_events)
    work_prefix = context.work_dir + os.sep
    for event in events:
        _relative_paths(event, work_prefix)
    context.run.mode_fields = {
        **empty_fields(),
        "traceEvents": events,
        "droppedEvents": cut + overflowed + child_overflows,
    }


def _learner_main_thread_only(events, context, program_end_us, finish_us):
    """Drops what the harness and runpy did in the learner process: their own functions, and
    on the main thread everything before the entry module started, between its end and the
    end of run_entry, and from the harness's exit handler on."""
    pid = os.getpid()
    entry_name_prefix = "<module> (" + context.entry_path + ":"
    module_span = None
    for event in events:
        if event.get("ph") == "X" and event.get("pid") == pid and event.get("tid") == pid:
            if event.get("name", "").startswith(entry_name_prefix):
                module_span = (event["ts"], event["ts"] + event.get("dur", 0))
                break
    kept = []
    for event in events:
        name = event.get("name", "")
        # Frames still open at the stop come as "B" events: the harness's exit handler's own.
        match = _PYTHON_FUNCTION.search(name)
        if match is not None and is_harness_file(match.group(1)):
            continue
        if event.get("ph") != "M" and event.get("tid") == pid and "ts" in event:
            start_us = event["ts"]
            in_module = module_span is not None and module_span[0] <= start_us <= module_span[1]
            after_program = program_end_us is not None and program_end_us <= start_us < finish_us
            if not (in_module or after_program):
                continue
        kept.append(event)
    return kept


def _read_children(trace_dir):
    """(events, overflowed processes) of every child that wrote its trace."""
    _wait_for_children(trace_dir)
    events = []
    overflows = 0
    for name in sorted(os.listdir(trace_dir)):
        if _CHILD_TRACE.match(name) is None:
            continue
        path = os.path.join(trace_dir, name)
        try:
            if os.path.getsize(path) > MAX_CHILD_FILE_BYTES:
                overflows += 1
                continue
            with open(path, "rb") as trace_file:
                data = json.loads(trace_file.read())
        except (OSError, ValueError, RecursionError):
            continue  # a child killed while writing: its trace is lost
        if not isinstance(data, dict) or not isinstance(data.get("traceEvents"), list):
            continue
        events.extend(event for event in data["traceEvents"] if isinstance(event, dict))
        metadata = data.get("viztracer_metadata")
        if isinstance(metadata, dict) and metadata.get("overflow"):
            overflows += 1
    return events, overflows


def _wait_for_children(trace_dir):
    """A child marks itself with result_<pid>.json.viztmp until its trace is written."""
    deadline = time.monotonic() + CHILD_WAIT_S
    while time.monotonic() < deadline:
        pending = [m for m in map(_CHILD_PENDING.match, os.listdir(trace_dir)) if m is not None]
        if not any(_process_exists(int(m.group(1))) for m in pending):
            return
        time.sleep(CHILD_POLL_S)


def _process_exists(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but not ours to signal
    try:
        # A zombie (ended, not yet waited for) writes nothing more.
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return False


def cap_events(events, max_events, max_bytes=MAX_EVENTS_BYTES):
    """(the earliest events, how many were cut): at most max_events of them, and about
    max_bytes of JSON. Metadata events (process and thread names, no timestamp) come first so
    every lane kept keeps its name."""
    metadata = [event for event in events if event.get("ph") == "M"]
    timed = [event for event in events if event.get("ph") != "M"]
    timed.sort(key=_timestamp)
    kept = []
    budget_bytes = max_bytes
    for event in metadata + timed:
        if len(kept) >= max_events:
            break
        budget_bytes -= _estimated_json_bytes(event)
        if budget_bytes < 0:
            break
        kept.append(event)
    return kept, len(events) - len(kept)


def _estimated_json_bytes(event):
    # The fixed keys and numbers of a VizTracer event come to ~110 bytes; names and args vary.
    size = 110 + len(event.get("name") or "")
    args = event.get("args")
    if args:
        size += len(repr(args))
    return size


def _timestamp(event):
    ts = event.get("ts")
    return ts if isinstance(ts, (int, float)) else 0


def _relative_paths(event, work_prefix):
    name = event.get("name")
    if isinstance(name, str) and work_prefix in name:
        event["name"] = name.replace(work_prefix, "")
    args = event.get("args")
    if isinstance(args, dict) and isinstance(args.get("name"), str) and work_prefix in args["name"]:
        args["name"] = args["name"].replace(work_prefix, "")
