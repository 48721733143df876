"""`python -m perflab_harness`: set up the sandboxed run, run one mode, report one document.

Order matters and is the protocol's: read the job, copy the files, chdir, drop privileges,
apply rlimits, then learner code. The result document is written by an atexit handler
registered before any learner code, so it runs last of all: after the program's non-daemon
threads have been joined and after the program's own atexit handlers.
"""

import atexit
import os
import sys
import time
import traceback

from perflab_harness import job as job_module
from perflab_harness import result
from perflab_harness.paths import CodeLocator
from perflab_harness.program import resolve_entry
from perflab_harness.sandbox_setup import (
    SetupFailure,
    apply_rlimits,
    claim_result_fd,
    drop_privileges,
    prepare_work_dir,
)

BAD_JOB_EXIT_CODE = 2
SETUP_FAILURE_EXIT_CODE = 1


class HarnessRun:
    """What the result document will say; filled in as the run goes."""

    def __init__(self):
        self.started_s = time.perf_counter()
        self.pid = os.getpid()
        self.result_fd = None
        self.mode = "run"
        self.exit_code = 0
        self.exception = None
        self.setup_error = None
        self.mode_fields = {}
        # Called at exit, in order, before the document is written: measurements that must
        # see the program's threads and atexit handlers finished (memory mode).
        self.finishers = []

    def fail_setup(self, kind, message, exit_code):
        self.setup_error = {"kind": kind, "message": message}
        self.exit_code = exit_code

    def forget_in_fork_child(self):
        # A child forked by the program (multiprocessing's "fork" method, os.fork) must
        # neither hold the pipe open nor write a second document.
        if self.result_fd is not None:
            try:
                os.close(self.result_fd)
            except OSError:
                pass
        self.result_fd = None

    def write_document(self):
        if os.getpid() != self.pid or self.result_fd is None:
            return
        for finisher in self.finishers:
            try:
                finisher()
            except Exception:  # noqa: BLE001 - report instead of losing the whole document
                if self.setup_error is None:
                    self.setup_error = {
                        "kind": "harness",
                        "message": "harness failed after the run:\n" + traceback.format_exc(),
                    }
        document = {
            "schema": result.RESULT_SCHEMA,
            "mode": self.mode,
            "python": result.python_info(),
            "cpusAvailable": result.cpus_available(),
            "exitCode": self.exit_code,
            "exception": self.exception,
            "setupError": self.setup_error,
            **result.resource_usage_fields(),
            **self.mode_fields,
        }
        document["harnessWallMs"] = round((time.perf_counter() - self.started_s) * 1000, 3)
        fd, self.result_fd = self.result_fd, None
        try:
            result.write_all_and_close(fd, result.encode_document(document))
        except OSError:
            pass  # the host went away; it reports what it saw itself
        # This handler runs last (registered first), after the program's own atexit
        # handlers and after non-daemon threads were joined. What remains is tearing down
        # modules, which costs ~15 ms per run and has no visible effect except __del__
        # methods of objects still alive at exit, which CPython does not promise to call.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - a closed or replaced stream
                pass
        os._exit(self.exit_code & 0xFF if isinstance(self.exit_code, int) else 1)


class ModeContext:
    """What a mode needs: the job, where things are, and the run to report into."""

    def __init__(self, job, run, work_dir, entry_path, locator):
        self.job = job
        self.run = run
        self.work_dir = work_dir
        self.entry_path = entry_path
        self.locator = locator


def _mode_module(mode):
    # Imported on demand: each mode pulls in its own heavy modules (cProfile,
    # line_profiler, tracemalloc, subprocess) only when used.
    if mode == "run":
        from perflab_harness import mode_run as module
    elif mode == "profile":
        from perflab_harness import mode_profile as module
    elif mode == "lines":
        from perflab_harness import mode_lines as module
    elif mode == "memory":
        from perflab_harness import mode_memory as module
    elif mode == "timeit":
        from perflab_harness import mode_timeit as module
    elif mode == "grade":
        from perflab_harness import mode_grade as module
    else:
        from perflab_harness import mode_repeat as module
    return module


def main():
    run = HarnessRun()
    run.result_fd = claim_result_fd()
    os.register_at_fork(after_in_child=run.forget_in_fork_child)
    atexit.register(run.write_document)
    try:
        outcome = _run_job(run)
    except SetupFailure as failure:
        run.fail_setup(failure.kind, failure.message, SETUP_FAILURE_EXIT_CODE)
        print(f"perflab: {failure.message}", file=sys.stderr)
        sys.exit(run.exit_code)
    except job_module.BadJob as error:
        run.fail_setup("bad-job", str(error), BAD_JOB_EXIT_CODE)
        print(f"perflab: bad job: {error}", file=sys.stderr)
        sys.exit(run.exit_code)
    except Exception:  # noqa: BLE001 - a harness bug still gets a document
        details = traceback.format_exc()
        run.fail_setup("harness", "harness error:\n" + details, SETUP_FAILURE_EXIT_CODE)
        print("perflab: harness error:\n" + details, file=sys.stderr, end="")
        sys.exit(run.exit_code)
    if outcome is None:
        sys.exit(run.exit_code)
    run.exit_code = outcome.exit_code
    run.exception = outcome.exception
    if outcome.system_exit is not None:
        # Re-raised as is: CPython then prints a string code and exits as it would have.
        raise outcome.system_exit.with_traceback(None)
    sys.exit(outcome.exit_code)


def _run_job(run):
    from perflab_harness.go_signal import close_hidden_pipe, wait_for_go

    wait_for_go()
    run.started_s = time.perf_counter()  # a warm pool's wait for the job is not part of the run
    raw_job = job_module.read_job_document(job_module.job_file_path())
    run.mode = job_module.peek_mode(raw_job)
    if run.mode != "grade":
        close_hidden_pipe()
    mode_module = _mode_module(run.mode)
    run.mode_fields = mode_module.empty_fields()
    job = job_module.parse_job(raw_job)
    work_dir = os.path.abspath(job_module.work_dir_path())

    # Built before privileges are dropped: it reads the interpreter's install scheme, which
    # the unprivileged user might not be allowed to import.
    locator = CodeLocator(work_dir)
    prepare_work_dir(job_module.input_dir_path(), work_dir, owner=job.drop_privileges)
    os.chdir(work_dir)
    if job.drop_privileges is not None:
        drop_privileges(*job.drop_privileges)
    apply_rlimits(job.rlimits)

    entry_path = resolve_entry(work_dir, job.entry)
    # What `python /work/main.py ARGS` would set; runpy swaps argv[0] for the path it runs.
    sys.argv = [entry_path, *job.argv]
    sys.path[0] = os.path.dirname(entry_path)
    return mode_module.run(ModeContext(job, run, work_dir, entry_path, locator))
