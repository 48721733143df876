"""Reading and checking the job document (perflab.job/1).

The document is checked against job.schema.json, which src/core/documents.ts generates
(docs/harness-protocol.md), through the validator compiled from it in perflab_contract. A
failure here means a host bug or a hand-written job; the message names the field.
"""

import json
import os

from perflab_contract import JsonSchemaValueException
from perflab_contract.job_validator import validate as validate_job_document

JOB_SCHEMA = "perflab.job/1"
MODES = ("run", "profile", "lines", "memory", "timeit", "repeat", "grade", "timeline", "memray")

DEFAULT_JOB_FILE = "/perflab/job.json"
DEFAULT_INPUT_DIR = "/perflab/input"
DEFAULT_WORK_DIR = "/work"


class BadJob(Exception):
    """The job document is missing, unreadable or does not match perflab.job/1."""


class LineTarget:
    """One function to time line by line (plain classes here, not dataclasses: importing
    dataclasses pulls in inspect, which alone costs milliseconds on every run)."""

    def __init__(self, file, line, name):
        self.file = file  # relative to the work dir
        self.line = line  # first line of the function (its `def`, or its first decorator)
        self.name = name  # function name, or qualified name such as "Counter.add"


class Job:
    def __init__(self, mode, entry, argv, rlimits, drop_privileges=None):
        self.mode = mode
        self.entry = entry
        self.argv = argv
        self.rlimits = rlimits
        self.drop_privileges = drop_privileges  # (uid, gid) or None
        self.line_targets = []
        self.memory_top_sites = 15
        self.memory_top_types = 15
        self.timeit_candidates = []
        self.timeit_rounds = 5
        self.timeit_min_batch_s = 0.2
        self.timeit_gc_enabled = False
        self.repeat_times = 50
        self.repeat_timeout_s = 10.0
        self.grade = None  # the grade section as sent, checked against the schema (mode_grade.py)
        # Stop the learner process before learner code until the host continues it (sampling).
        self.sample_gate = False
        self.timeline_max_events = 200_000
        self.timeline_log_async = True
        self.memray_native_traces = False
        self.memray_max_leaks = 20
        self.memray_max_nodes = 2000
        self.memray_max_capture_bytes = 16 * 1024 * 1024


def job_file_path():
    return os.environ.get("PERFLAB_JOB_FILE", DEFAULT_JOB_FILE)


def input_dir_path():
    return os.environ.get("PERFLAB_INPUT_DIR", DEFAULT_INPUT_DIR)


def work_dir_path():
    return os.environ.get("PERFLAB_WORK_DIR", DEFAULT_WORK_DIR)


def peek_mode(raw):
    """The job's mode if it is a known one, so even a bad job gets a well-formed result."""
    mode = raw.get("mode") if isinstance(raw, dict) else None
    return mode if mode in MODES else "run"


def read_job_document(path):
    try:
        with open(path, "rb") as job_file:
            return json.loads(job_file.read().decode("utf-8"))
    except FileNotFoundError:
        raise BadJob(f"job document not found at {path}") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise BadJob(f"cannot read job document {path}: {error}") from None


def parse_job(raw):
    if not isinstance(raw, dict):
        raise BadJob("job document is not a JSON object")
    if raw.get("schema") != JOB_SCHEMA:
        raise BadJob(f"job schema is {raw.get('schema')!r}, expected {JOB_SCHEMA!r}")
    try:
        validate_job_document(raw, name_prefix="job")
    except JsonSchemaValueException as error:
        raise BadJob(f"the job document does not match {JOB_SCHEMA}: {error.message}") from None
    mode = raw["mode"]
    drop = raw["dropPrivileges"]
    job = Job(
        mode=mode,
        entry=_entry_path(raw["entry"]),
        argv=list(raw["argv"]),
        rlimits=dict(raw["rlimits"]),
        drop_privileges=None if drop is None else (drop["uid"], drop["gid"]),
    )
    job.sample_gate = bool(raw.get("sampleGate", False))
    # The schema makes the mode sections optional; the modes below cannot run without theirs.
    if mode == "lines":
        job.line_targets = [
            LineTarget(file=os.path.normpath(target["file"]), line=target["line"], name=target["name"])
            for target in _section(raw, "lines", required=True)["targets"]
        ]
    elif mode == "memory":
        memory = _section(raw, "memory", required=False)
        job.memory_top_sites = memory.get("topSites", job.memory_top_sites)
        job.memory_top_types = memory.get("topTypes", job.memory_top_types)
    elif mode == "timeit":
        timeit = _section(raw, "timeit", required=True)
        job.timeit_candidates = list(timeit["candidates"])
        job.timeit_rounds = timeit["rounds"]
        job.timeit_min_batch_s = float(timeit["minBatchS"])
        job.timeit_gc_enabled = timeit["gcEnabled"]
    elif mode == "repeat":
        repeat = _section(raw, "repeat", required=False)
        job.repeat_times = repeat.get("times", job.repeat_times)
        job.repeat_timeout_s = float(repeat.get("timeoutS", job.repeat_timeout_s))
    elif mode == "grade":
        job.grade = _section(raw, "grade", required=True)
    elif mode == "timeline":
        timeline = _section(raw, "timeline", required=False)
        job.timeline_max_events = timeline.get("maxEvents", job.timeline_max_events)
        job.timeline_log_async = timeline.get("logAsync", job.timeline_log_async)
    elif mode == "memray":
        memray = _section(raw, "memray", required=False)
        job.memray_native_traces = memray.get("nativeTraces", job.memray_native_traces)
        job.memray_max_leaks = memray.get("maxLeaks", job.memray_max_leaks)
        job.memray_max_nodes = memray.get("maxNodes", job.memray_max_nodes)
        job.memray_max_capture_bytes = memray.get("maxCaptureBytes", job.memray_max_capture_bytes)
    return job


def _entry_path(entry):
    if not entry.strip():
        raise BadJob("entry must be a non-empty string")
    normalized = os.path.normpath(entry)
    # The entry names a file among the job's files: it may not climb out of the work dir.
    if os.path.isabs(normalized) or normalized == ".." or normalized.startswith(".." + os.sep):
        raise BadJob(f"entry {entry!r} must be a path relative to the work dir")
    return normalized


def _section(raw, name, required):
    section = raw.get(name)
    if section is None:
        if required:
            raise BadJob(f"mode {raw.get('mode')!r} needs a {name!r} section")
        return {}
    return section
