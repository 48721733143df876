"""One timing sample of one timeit candidate, in a fresh interpreter.

Started by mode_timeit as `python -m perflab_harness.timeit_worker REQUEST_JSON RESULT_FD`.
Imports the entry file under a name other than "__main__" (so its main block does not run),
evaluates the candidate in that module's namespace and writes one JSON line to RESULT_FD:

  {"kind": "ok", "loops": N, "totalS": seconds for all N loops}
  {"kind": "candidate-error", "message": ...}   the expression does not compile or raises
  {"kind": "entry-exception", "exception": {...}, "exitCode": N}   importing the entry failed

The worker leaves with os._exit once the result is written: threads or atexit handlers the
learner's module set up must not keep a timing process alive or print after the sample.
"""

import gc
import itertools
import json
import os
import runpy
import sys
import time
import traceback

from perflab_harness.paths import CodeLocator
from perflab_harness.program import exit_status_of, outcome_of_exception
from perflab_harness.result import write_all_and_close
from perflab_harness.sandbox_setup import park_high_fd

# The module's __name__ while imported for timing: anything but "__main__".
TIMEIT_MODULE_NAME = "__perflab_timeit__"

# The candidate runs inside a function, like timeit's template, so the loop itself costs
# as little as possible: itertools.repeat avoids creating an int per iteration.
_TIMER_TEMPLATE = """
def _perflab_timed_loops(_perflab_iterations, _perflab_timer):
    _perflab_started = _perflab_timer()
    for _ in _perflab_iterations:
        {statement}
    return _perflab_timer() - _perflab_started
"""


class CandidateError(Exception):
    pass


def timed_loops_function(expression, namespace):
    """A function(iterations, timer) -> seconds that runs the candidate once per iteration."""
    try:
        compile(expression, "<timeit candidate>", "eval")
    except SyntaxError as error:
        raise CandidateError(f"timeit candidate {expression!r} is not a valid Python expression: {error.msg}") from None
    name = expression.strip()
    # A bare name of a callable means "call it": `slow` times slow().
    # Parenthesised on lines of its own: a trailing comment cannot swallow the bracket.
    statement = f"{name}()" if name.isidentifier() and callable(namespace.get(name)) else f"(\n{expression}\n)"
    code = compile(_TIMER_TEMPLATE.format(statement=statement), "<timeit candidate>", "exec")
    local_namespace = {}
    # Module globals as the function's globals: the candidate sees the module's names.
    exec(code, namespace, local_namespace)
    return local_namespace["_perflab_timed_loops"]


def calibrate(timed_loops, min_batch_s):
    """timeit.Timer.autorange's search: 1, 2, 5, 10, 20, 50, ... loops until one batch
    takes at least min_batch_s. Returns (loops, seconds of that batch)."""
    for power in itertools.count():
        for factor in (1, 2, 5):
            loops = factor * 10**power
            total_s = timed_loops(itertools.repeat(None, loops), time.perf_counter)
            if total_s >= min_batch_s:
                return loops, total_s
    raise AssertionError("unreachable")


def measure(request, namespace):
    timed_loops = timed_loops_function(request["expr"], namespace)
    try:
        # One untimed run: checks the candidate works and warms caches before the sample.
        timed_loops(itertools.repeat(None, 1), time.perf_counter)
    except Exception as error:  # noqa: BLE001 - any failure of learner code is reported
        details = "".join(traceback.format_exception_only(type(error), error)).strip()
        raise CandidateError(f"timeit candidate {request['expr']!r} raised {details}") from None
    gc.collect()
    if not request["gcEnabled"]:
        gc.disable()
    try:
        if request["loops"] is None:
            return calibrate(timed_loops, request["minBatchS"])
        loops = request["loops"]
        return loops, timed_loops(itertools.repeat(None, loops), time.perf_counter)
    finally:
        gc.enable()


def main():
    request = json.loads(sys.argv[1])
    result_fd = park_high_fd(int(sys.argv[2]))
    entry_path = request["entryPath"]
    os.chdir(request["workDir"])
    sys.argv = [entry_path, *request["argv"]]
    sys.path[0] = os.path.dirname(entry_path)
    locator = CodeLocator(request["workDir"])

    try:
        namespace = runpy.run_path(entry_path, run_name=TIMEIT_MODULE_NAME)
    except BaseException as error:  # noqa: B902 - the module may call sys.exit() while importing
        outcome = outcome_of_exception(error, locator, entry_path)
        if outcome.system_exit is not None:
            code = outcome.system_exit.code
            message = f"importing {os.path.basename(entry_path)} called sys.exit({code!r})"
            result = {"kind": "candidate-error", "message": message, "exitCode": exit_status_of(code)}
        else:
            result = {"kind": "entry-exception", "exception": outcome.exception, "exitCode": outcome.exit_code}
    else:
        try:
            loops, total_s = measure(request, namespace)
            result = {"kind": "ok", "loops": loops, "totalS": total_s}
        except CandidateError as error:
            result = {"kind": "candidate-error", "message": str(error)}
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001
            pass
    write_all_and_close(result_fd, json.dumps(result).encode("utf-8"))
    os._exit(0)


if __name__ == "__main__":
    main()
