"""Reading and checking the job document (perflab.job/1).

The host validates jobs with zod before writing them, so a failure here means a host bug or
a hand-written job: the checks are strict and the messages say exactly which field is wrong.
"""

import json
import os

JOB_SCHEMA = "perflab.job/1"
MODES = ("run", "profile", "lines", "memory", "timeit", "repeat", "grade")

DEFAULT_JOB_FILE = "/perflab/job.json"
DEFAULT_INPUT_DIR = "/perflab/input"
DEFAULT_WORK_DIR = "/work"

RLIMIT_FIELDS = ("nproc", "fileSizeBytes", "openFiles", "cpuSeconds", "addressSpaceBytes")


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
    mode = raw.get("mode")
    if mode not in MODES:
        raise BadJob(f"job mode {mode!r} is not one of {', '.join(MODES)}")
    job = Job(
        mode=mode,
        entry=_entry_path(raw.get("entry")),
        argv=_string_list(raw.get("argv", []), "argv"),
        rlimits=_rlimits(raw.get("rlimits", {})),
        drop_privileges=_drop_privileges(raw.get("dropPrivileges")),
    )
    if mode == "lines":
        job.line_targets = _line_targets(_section(raw, "lines", required=True).get("targets"))
    elif mode == "memory":
        memory = _section(raw, "memory", required=False)
        job.memory_top_sites = _int(memory.get("topSites", 15), "memory.topSites", minimum=0)
        job.memory_top_types = _int(memory.get("topTypes", 15), "memory.topTypes", minimum=0)
    elif mode == "timeit":
        timeit = _section(raw, "timeit", required=True)
        job.timeit_candidates = _string_list(timeit.get("candidates"), "timeit.candidates")
        if not job.timeit_candidates:
            raise BadJob("timeit.candidates is empty")
        job.timeit_rounds = _int(timeit.get("rounds", 5), "timeit.rounds", minimum=1)
        job.timeit_min_batch_s = _positive_number(timeit.get("minBatchS", 0.2), "timeit.minBatchS")
        gc_enabled = timeit.get("gcEnabled", False)
        if not isinstance(gc_enabled, bool):
            raise BadJob("timeit.gcEnabled must be a boolean")
        job.timeit_gc_enabled = gc_enabled
    elif mode == "repeat":
        repeat = _section(raw, "repeat", required=False)
        job.repeat_times = _int(repeat.get("times", 50), "repeat.times", minimum=1)
        job.repeat_timeout_s = _positive_number(repeat.get("timeoutS", 10), "repeat.timeoutS")
    return job


def _entry_path(entry):
    if not isinstance(entry, str) or not entry.strip():
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
    if not isinstance(section, dict):
        raise BadJob(f"{name} must be an object")
    return section


def _string_list(value, name):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadJob(f"{name} must be a list of strings")
    return list(value)


def _int(value, name, minimum=None):
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadJob(f"{name} must be an integer")
    if minimum is not None and value < minimum:
        raise BadJob(f"{name} must be at least {minimum}")
    return value


def _positive_number(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise BadJob(f"{name} must be a positive number")
    return float(value)


def _rlimits(raw):
    if not isinstance(raw, dict):
        raise BadJob("rlimits must be an object")
    limits = {}
    for name in RLIMIT_FIELDS:
        value = raw.get(name)
        limits[name] = None if value is None else _int(value, f"rlimits.{name}", minimum=0)
    return limits


def _drop_privileges(raw):
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise BadJob("dropPrivileges must be an object or null")
    return (
        _int(raw.get("uid"), "dropPrivileges.uid", minimum=0),
        _int(raw.get("gid"), "dropPrivileges.gid", minimum=0),
    )


def _line_targets(raw):
    if not isinstance(raw, list):
        raise BadJob("lines.targets must be a list")
    targets = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise BadJob(f"lines.targets[{index}] must be an object")
        file_name = item.get("file")
        name = item.get("name")
        if not isinstance(file_name, str) or not file_name:
            raise BadJob(f"lines.targets[{index}].file must be a non-empty string")
        if not isinstance(name, str) or not name:
            raise BadJob(f"lines.targets[{index}].name must be a non-empty string")
        line = _int(item.get("line"), f"lines.targets[{index}].line", minimum=0)
        targets.append(LineTarget(file=os.path.normpath(file_name), line=line, name=name))
    return targets
