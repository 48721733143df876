"""Runs `python -m perflab_harness` the way the host's process backend does: a temporary
input dir, job file and work dir named by PERFLAB_* variables, a from-scratch environment,
and a pipe for the result document passed as PERFLAB_RESULT_FD."""

import functools
import json
import os
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import fastjsonschema
import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
STARTUP_DIR = PYTHON_DIR / "startup"
# Tests also import the harness's modules in-process (test_contract, test_grade).
if str(PYTHON_DIR) not in sys.path:
    sys.path.insert(0, str(PYTHON_DIR))

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


SCHEMA_DIR = PYTHON_DIR / "perflab_harness" / "schemas"
# A document's "schema" field -> the JSON Schema src/core/documents.ts generates for it.
SCHEMA_FILES = {
    "perflab.job/1": "job.schema.json",
    "perflab.harness/1": "result.schema.json",
    "perflab.stacks/1": "stacks.schema.json",
}


@functools.cache
def contract_validator(schema_name):
    """fastjsonschema's validator for one document kind, compiled once per test session."""
    assert schema_name in SCHEMA_FILES, f"no JSON Schema for documents of schema {schema_name!r}"
    return fastjsonschema.compile(json.loads((SCHEMA_DIR / SCHEMA_FILES[schema_name]).read_text(encoding="utf-8")))


def assert_matches_contract(document):
    """The document is one the host's zod schema accepts: checked against the JSON Schema
    generated from it."""
    try:
        contract_validator(document.get("schema"))(document)
    except fastjsonschema.JsonSchemaValueException as error:
        raise AssertionError(f"the {document.get('schema')} document breaks the contract: {error.message}") from None


def save_document_for_contract_check(document):
    """Every document the tests see is checked against the contract; with
    PERFLAB_TEST_DOCUMENTS_DIR set it is also saved there, so the TypeScript side's zod
    schemas can be run over real harness output."""
    if document is None:
        return
    assert_matches_contract(document)
    directory = os.environ.get("PERFLAB_TEST_DOCUMENTS_DIR")
    if not directory:
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


def assert_well_formed(document, mode):
    """The document matches the contract (assert_matches_contract) and is of this mode."""
    assert document is not None, "no result document arrived"
    assert_matches_contract(document)
    assert document["mode"] == mode
    # The supervisor drops a learner report whose shape it does not recognise: a real one
    # must never be dropped (the check in learner_report.py must match what modes write).
    assert document.get("learnerReport") != "rejected"
