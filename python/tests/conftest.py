"""Runs `python -m perflab_harness` the way the host's process backend does: a temporary
input dir, job file and work dir named by PERFLAB_* variables, a from-scratch environment,
and a pipe for the result document passed as PERFLAB_RESULT_FD."""

import json
import os
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
STARTUP_DIR = PYTHON_DIR / "startup"

NO_RLIMITS = {"nproc": None, "fileSizeBytes": None, "openFiles": None, "cpuSeconds": None, "addressSpaceBytes": None}


@dataclass
class HarnessRun:
    returncode: int
    stdout: str
    stderr: str
    document: dict  # None when no document arrived
    work_dir: Path


def harness_env(work_dir, job_file, input_dir, extra=None):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work_dir),
        "LANG": "C.UTF-8",
        "PYTHONPATH": f"{STARTUP_DIR}:{PYTHON_DIR}",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PERFLAB_JOB_FILE": str(job_file),
        "PERFLAB_INPUT_DIR": str(input_dir),
        "PERFLAB_WORK_DIR": str(work_dir),
    }
    env.update(extra or {})
    return env


def write_files(directory, files):
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"))


def make_job(mode="run", entry="main.py", argv=(), **sections):
    job = {
        "schema": "perflab.job/1",
        "mode": mode,
        "entry": entry,
        "argv": list(argv),
        "rlimits": dict(NO_RLIMITS),
        "dropPrivileges": None,
    }
    job.update(sections)
    return job


class HarnessRunner:
    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.input_dir = tmp_path / "input"
        self.work_dir = tmp_path / "work"
        self.job_file = tmp_path / "job.json"
        self.input_dir.mkdir()

    def env(self, extra=None):
        return harness_env(self.work_dir, self.job_file, self.input_dir, extra)

    def start(self, files, job, stdin=subprocess.DEVNULL, env=None, stdout=subprocess.PIPE, extra_fds=()):
        """Starts the harness; returns (process, read end of the result pipe)."""
        write_files(self.input_dir, files)
        self.job_file.write_text(json.dumps(job) if isinstance(job, dict) else job)
        read_fd, write_fd = os.pipe()
        process = subprocess.Popen(
            [sys.executable, "-m", "perflab_harness"],
            cwd=self.tmp_path,
            env=self.env({"PERFLAB_RESULT_FD": str(write_fd), **(env or {})}),
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            pass_fds=(write_fd, *extra_fds),
        )
        os.close(write_fd)
        return process, read_fd

    def run(self, files, job, stdin=subprocess.DEVNULL, env=None, timeout_s=60, extra_fds=()):
        process, read_fd = self.start(files, job, stdin=stdin, env=env, extra_fds=extra_fds)
        # Read the pipe while the harness runs: a big document would fill it and block.
        chunks = []
        reader = threading.Thread(target=_read_all, args=(read_fd, chunks))
        reader.start()
        stdout, stderr = process.communicate(timeout=timeout_s)
        reader.join(timeout_s)
        data = b"".join(chunks)
        document = json.loads(data) if data else None
        save_document_for_contract_check(document)
        return HarnessRun(process.returncode, stdout.decode(), stderr.decode(), document, self.work_dir)


def save_document_for_contract_check(document):
    """With PERFLAB_TEST_DOCUMENTS_DIR set, every document the tests see is saved there, so
    the TypeScript side's zod schemas can be run over real harness output."""
    directory = os.environ.get("PERFLAB_TEST_DOCUMENTS_DIR")
    if not directory or document is None:
        return
    test_name = os.environ.get("PYTEST_CURRENT_TEST", "unknown").split(" ")[0]
    stem = "".join(c if c.isalnum() else "_" for c in test_name)[-120:]
    os.makedirs(directory, exist_ok=True)
    index = len([name for name in os.listdir(directory) if name.startswith(stem)])
    with open(os.path.join(directory, f"{stem}_{index}.json"), "w") as output:
        json.dump(document, output)


def _read_all(fd, chunks):
    with os.fdopen(fd, "rb") as pipe:
        while True:
            chunk = pipe.read(65536)
            if not chunk:
                return
            chunks.append(chunk)


@pytest.fixture
def harness(tmp_path):
    return HarnessRunner(tmp_path)


COMMON_FIELDS = {
    "schema",
    "mode",
    "python",
    "cpusAvailable",
    "exitCode",
    "exception",
    "setupError",
    "selfMaxRssKb",
    "childrenMaxRssKb",
    "cpuUserMs",
    "cpuSystemMs",
    "harnessWallMs",
}

MODE_FIELDS = {
    "run": set(),
    "profile": {"functions", "edges", "totalMs", "pstatsBase64"},
    "lines": {"functions"},
    "memory": {"peakBytes", "finalBytes", "peakSites", "peakSitesTracedBytes", "finalSites", "types"},
    "timeit": {"gcEnabled", "candidates"},
    "repeat": {"times", "outcomes"},
}


def assert_well_formed(document, mode):
    """The shape the host's zod schema (src/core/documents.ts) checks."""
    assert document is not None, "no result document arrived"
    assert document["schema"] == "perflab.harness/1"
    assert document["mode"] == mode
    missing = (COMMON_FIELDS | MODE_FIELDS[mode]) - set(document)
    assert not missing, f"missing fields {missing}"
    assert document["cpusAvailable"] >= 1
    assert set(document["python"]) == {"version", "implementation", "executable"}
    for field in ("selfMaxRssKb", "childrenMaxRssKb", "cpuUserMs", "cpuSystemMs", "harnessWallMs"):
        assert document[field] >= 0
    # The supervisor drops a learner report whose shape it does not recognise: a real one
    # must never be dropped (the check in learner_report.py must match what modes write).
    assert document.get("learnerReport") != "rejected"
