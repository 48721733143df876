"""`python -m perflab_harness`: set up the sandboxed run, run one mode, report one document.

Order matters and is the protocol's: read the job, copy the files, chdir; then, except in
grade mode, fork. The parent becomes the supervisor (supervisor.py): it keeps the result
pipe, is non-dumpable, keeps its uid, and measures the child from outside with wait4. The
child becomes the learner process: it drops privileges, sets PR_SET_PDEATHSIG, applies
rlimits, closes every descriptor but 0, 1 and 2, and runs the mode, which runs learner code.
Its last atexit handler (registered before any learner code, so it runs after the program's
non-daemon threads and its own atexit handlers) sends the learner report to the supervisor
and ends the process with the program's exit status.

Grade mode runs in this process: the grader never runs learner code itself, it starts
worker processes and drops their privileges to `context.worker_identity`.
"""

import atexit
import gc
import os
import sys
import time
import traceback
from types import SimpleNamespace

from perflab_harness import job as job_module
from perflab_harness import result
from perflab_harness.paths import CodeLocator
from perflab_harness.program import resolve_entry
from perflab_harness.sandbox_setup import (
    PR_SET_DUMPABLE,
    PR_SET_PDEATHSIG,
    SetupFailure,
    apply_rlimits,
    claim_result_fd,
    close_inherited_fds,
    drop_privileges,
    prctl,
    prepare_work_dir,
    scrub_initial_environment,
)

BAD_JOB_EXIT_CODE = 2
SETUP_FAILURE_EXIT_CODE = 1
SWITCH_INTERVAL_ENV = "PERFLAB_SWITCH_INTERVAL_S"


class HarnessRun:
    """What the result document (or, in the learner process, the learner report) will say;
    filled in as the run goes."""

    def __init__(self):
        self.started_s = time.perf_counter()
        self.pid = os.getpid()
        self.result_fd = None
        # Set in the learner process: the supervisor's socket, which gets the learner report
        # instead of the document going to the result pipe.
        self.report_address = None
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

    def _run_finishers(self):
        for finisher in self.finishers:
            try:
                finisher()
            except Exception:  # noqa: BLE001 - report instead of losing the whole document
                if self.setup_error is None:
                    self.setup_error = {
                        "kind": "harness",
                        "message": "harness failed after the run:\n" + traceback.format_exc(),
                    }

    def write_document(self):
        if os.getpid() != self.pid:
            return
        if self.report_address is not None:
            self._send_learner_report()
        elif self.result_fd is not None:
            self._run_finishers()
            document = {
                "schema": result.RESULT_SCHEMA,
                "mode": self.mode,
                "python": result.python_info(),
                "cpusAvailable": result.cpus_available(),
                "exitCode": self.exit_code,
                "signal": None,
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
        else:
            return
        # This handler runs last (registered first), after the program's own atexit
        # handlers and after non-daemon threads were joined. What remains is tearing down
        # modules, which costs ~15 ms per run and has no visible effect except __del__
        # methods of objects still alive at exit, which CPython does not promise to call.
        _flush_standard_streams()
        os._exit(self.exit_code & 0xFF if isinstance(self.exit_code, int) else 1)

    def _send_learner_report(self):
        """The learner process's last act: its own findings to the supervisor, which checks
        them (learner_report.py). Nothing here is trusted; the exit status is the kernel's."""
        self.report_address, address = None, self.report_address
        self._run_finishers()
        _flush_standard_streams()
        report = {
            "exception": self.exception,
            "setupError": self.setup_error,
            "modeFields": self.mode_fields,
            # Only the learner process can tell its children's peak from its own; the
            # supervisor keeps this figure only below the kernel's for the whole tree.
            "childrenMaxRssKb": _children_max_rss_kb(),
        }
        try:
            data = result.encode_document(report)
        except (TypeError, ValueError, RecursionError):
            return
        from perflab_harness.supervisor import send_report

        try:
            send_report(address, data)
        except OSError:
            pass  # the supervisor still reports the kernel's figures


def _children_max_rss_kb():
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _flush_standard_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed or replaced stream
            pass


class ModeContext(SimpleNamespace):
    """What a mode needs, given by keyword: job, run (the HarnessRun to report into),
    work_dir, entry_path, locator (a CodeLocator) and worker_identity.

    `worker_identity` is for the grader only: the (uid, gid) its worker processes drop to
    before running any exercise code, or None when the sandbox did not start as root.
    """


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
    elif mode == "timeline":
        from perflab_harness import mode_timeline as module
    elif mode == "memray":
        from perflab_harness import mode_memray as module
    else:
        from perflab_harness import mode_repeat as module
    return module


def take_switch_interval():
    """Applies PERFLAB_SWITCH_INTERVAL_S (the race check's, or `perflab run --switch-interval`)
    and removes it from the environment, so that nothing there tells learner code why its
    threads switch so often (the interval itself stays observable). sitecustomize has done
    both already; this covers a harness started without the start-up hook. The learner
    process and repeat mode's runs are forks, so they inherit the interval."""
    raw = os.environ.pop(SWITCH_INTERVAL_ENV, None)
    if raw:
        try:
            sys.setswitchinterval(float(raw))
        except (ValueError, TypeError):
            pass


def main():
    run = HarnessRun()
    run.result_fd = claim_result_fd()
    take_switch_interval()
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
    entry_path = resolve_entry(work_dir, job.entry)

    if run.mode == "grade":
        # The grader runs no learner code in this process; its workers drop privileges.
        apply_rlimits(job.rlimits)
        _set_program_argv(entry_path, job)
        context = ModeContext(
            job=job,
            run=run,
            work_dir=work_dir,
            entry_path=entry_path,
            locator=locator,
            worker_identity=job.drop_privileges,
        )
        return mode_module.run(context)

    _fork_learner_process(run)
    # From here on: the learner process.
    if job.drop_privileges is not None:
        drop_privileges(*job.drop_privileges)
    _die_with_supervisor(run.supervisor_pid)
    apply_rlimits(job.rlimits)
    close_inherited_fds()
    scrub_initial_environment()
    _set_program_argv(entry_path, job)
    context = ModeContext(
        job=job, run=run, work_dir=work_dir, entry_path=entry_path, locator=locator, worker_identity=None
    )
    if job.sample_gate:
        _stop_at_sample_gate()
    return mode_module.run(context)


def _stop_at_sample_gate():
    """The sample gate: the learner process, fully set up and about to run the mode, stops
    itself. The host sees it in state T, attaches its sampler from outside the sandbox and
    sends SIGCONT; nothing of the program has run yet, so the sampler misses none of it."""
    import _signal

    os.kill(os.getpid(), _signal.SIGSTOP)


def _set_program_argv(entry_path, job):
    # What `python /work/main.py ARGS` would set; runpy swaps argv[0] for the path it runs.
    sys.argv = [entry_path, *job.argv]
    sys.path[0] = os.path.dirname(entry_path)


def _fork_learner_process(run):
    """Forks; returns only in the child (the learner process). The parent supervises the
    child to its end and exits the way it did (supervisor.py)."""
    from perflab_harness import supervisor

    address = supervisor.new_report_address()
    listeners = supervisor.listen(address)
    supervisor_pid = os.getpid()
    # Before the fork, so no instant of the supervisor's life after it is dumpable; the
    # child takes its own state back (below, or by dropping privileges).
    prctl(PR_SET_DUMPABLE, 0)
    _flush_standard_streams()
    # Every object alive now goes to the collector's permanent generation: no collection in
    # either process walks (and so copies, page by page) the memory they share after the
    # fork, and learner code's gc.get_objects() does not list the harness's objects.
    gc.freeze()
    learner_pid = os.fork()
    if learner_pid == 0:
        # The listener's descriptor is closed with every other one (close_inherited_fds);
        # detached first so that its object never closes a number learner code reuses.
        for listener in listeners:
            listener.detach()
        run.pid = os.getpid()
        run.supervisor_pid = supervisor_pid
        run.report_address = address
        try:
            prctl(PR_SET_DUMPABLE, 1)
        except OSError:
            pass
        return
    supervisor.become_supervisor()
    _supervise(run, learner_pid, listeners)


def _die_with_supervisor(supervisor_pid):
    # After dropping privileges: a change of credentials clears the parent-death signal.
    prctl(PR_SET_PDEATHSIG, 9)  # SIGKILL
    if os.getppid() != supervisor_pid:
        os._exit(SETUP_FAILURE_EXIT_CODE)  # the supervisor is already gone


def _supervise(run, learner_pid, listeners):
    from perflab_harness import supervisor

    supervision = supervisor.Supervision(learner_pid, listeners)
    # Read while the learner process starts (on another CPU, when there is one), not after.
    python, cpus_available = result.python_info(), result.cpus_available()
    status, rusage = supervision.wait()
    kernel, signal_number = supervisor.kernel_fields(status, rusage)
    report, report_status = supervision.report(run.mode)
    failed = kernel["exitCode"] != 0
    document = {
        "schema": result.RESULT_SCHEMA,
        "mode": run.mode,
        "python": python,
        "cpusAvailable": cpus_available,
        **kernel,
        "childrenMaxRssKb": min(report["childrenMaxRssKb"], kernel["selfMaxRssKb"]) if report else 0,
        # The learner's own words: kept only when they agree with how the process ended.
        "exception": report["exception"] if report and failed else None,
        "setupError": report["setupError"] if report and failed else None,
        "learnerReport": report_status,
        **(report["modeFields"] if report else run.mode_fields),
    }
    document["harnessWallMs"] = round((time.perf_counter() - run.started_s) * 1000, 3)
    fd, run.result_fd = run.result_fd, None
    if fd is not None:
        try:
            result.write_all_and_close(fd, result.encode_document(document))
        except OSError:
            pass
    supervisor.end_like(kernel["exitCode"] or 0, signal_number)
