"""Running the learner's entry file as `__main__`, and turning how it ended into an exit
code and an `exception` object the way CPython itself would.

The entry runs through runpy.run_path with its absolute path, so the program sees what
`cd /work && python /work/main.py ARGS...` would give it: `__name__ == "__main__"`, an
absolute `__file__` (which multiprocessing's spawn and forkserver methods use to re-import
it in their workers), absolute paths in tracebacks, and sys.path[0] = the script's folder.
"""

import os

# runpy.run_path imports pkgutil lazily; imported here, that import is not measured as part
# of the program in profile and memory modes.
import pkgutil  # noqa: F401
import runpy
import sys
import traceback

from perflab_harness.paths import is_harness_file
from perflab_harness.sandbox_setup import SetupFailure


class ProgramOutcome:
    def __init__(self, exit_code, system_exit=None, exception=None, module_globals=None):
        self.exit_code = exit_code
        # The program's own SystemExit, re-raised by the harness so CPython prints its
        # message (sys.exit("text")) and exits exactly as it would have.
        self.system_exit = system_exit
        self.exception = exception
        # The module's globals at the end: memory mode measures what they keep alive.
        self.module_globals = module_globals


def resolve_entry(work_dir, entry):
    """Absolute path of the entry file, after checking Python will be able to read it."""
    entry_path = os.path.join(os.path.abspath(work_dir), entry)
    if not os.path.isfile(entry_path):
        present = sorted(os.listdir(work_dir))[:20] if os.path.isdir(work_dir) else []
        raise SetupFailure(
            "entry-missing",
            f"entry file {entry!r} is not among the job's files"
            + (f" (found: {', '.join(present)})" if present else " (the job has no files)"),
        )
    try:
        with open(entry_path, "rb") as entry_file:
            source = entry_file.read()
    except OSError as error:
        raise SetupFailure("entry-missing", f"cannot read entry file {entry!r}: {error}") from None
    _check_source_encoding(entry, source)
    return entry_path


def _check_source_encoding(entry, source):
    try:
        source.decode("utf-8")
        return
    except UnicodeDecodeError as utf8_error:
        first_error = utf8_error
    # A `# -*- coding: latin-1 -*-` declaration makes other encodings legal Python.
    import io
    import tokenize

    try:
        declared, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        if declared not in ("utf-8", "utf-8-sig"):
            source.decode(declared)
            return
    except (SyntaxError, LookupError, UnicodeDecodeError):
        pass
    line = source.count(b"\n", 0, first_error.start) + 1
    raise SetupFailure(
        "not-utf8",
        f"{entry} is not UTF-8 text: byte 0x{source[first_error.start]:02x} on line {line} cannot be decoded."
        " Save the file as UTF-8.",
    )


def exit_status_of(code):
    """The process exit status CPython derives from a SystemExit code."""
    if code is None:
        return 0
    if isinstance(code, int):
        # C long overflow makes CPython exit with -1; the OS keeps the low 8 bits.
        if not -(2**63) <= code < 2**63:
            return 255
        return code & 0xFF
    return 1  # any other object is printed to stderr, and the exit status is 1


def run_entry(entry_path, locator, start=None, stop=None):
    """Runs the entry as __main__ between start() and stop() (a mode's measurement)."""
    module_globals = None
    caught = None
    if start is not None:
        start()
    try:
        module_globals = runpy.run_path(entry_path, run_name="__main__")
    except BaseException as error:  # noqa: B902 - the program's SystemExit and KeyboardInterrupt too
        caught = error
    finally:
        if stop is not None:
            stop()
    if caught is None:
        return ProgramOutcome(exit_code=0, module_globals=module_globals)
    return outcome_of_exception(caught, locator, entry_path)


def outcome_of_exception(caught, locator, entry_path=None):
    learner_traceback = strip_harness_frames(caught.__traceback__)
    caught.__traceback__ = learner_traceback
    module_globals = _entry_globals(learner_traceback, entry_path)
    if isinstance(caught, SystemExit):
        return ProgramOutcome(exit_code=exit_status_of(caught.code), system_exit=caught, module_globals=module_globals)
    print_like_python(caught)
    return ProgramOutcome(exit_code=1, exception=describe_exception(caught, locator), module_globals=module_globals)


def strip_harness_frames(tb):
    """Drops the outer frames that belong to the harness or runpy: what is left starts in
    the learner's code (or is None, e.g. for a SyntaxError in the entry file itself)."""
    while tb is not None and is_harness_file(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return tb


def _entry_globals(tb, entry_path):
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "<module>" and code.co_filename == entry_path:
            return tb.tb_frame.f_globals
        tb = tb.tb_next
    return None


def print_like_python(error):
    """Prints an uncaught exception the way the interpreter does: through sys.excepthook,
    which the program may have replaced."""
    try:
        sys.stdout.flush()
    except Exception:  # noqa: BLE001 - a broken stdout must not hide the traceback
        pass
    try:
        sys.excepthook(type(error), error, error.__traceback__)
    except Exception:  # noqa: BLE001 - a failing custom hook: fall back like CPython does
        traceback.print_exception(error)
    try:
        sys.stderr.flush()
    except Exception:  # noqa: BLE001
        pass


def exception_type_name(error_type):
    """The name CPython's traceback shows: module-qualified except builtins and __main__."""
    module = getattr(error_type, "__module__", None)
    name = getattr(error_type, "__qualname__", error_type.__name__)
    if module in (None, "builtins", "__main__"):
        return name
    return f"{module}.{name}"


def describe_exception(error, locator):
    """The protocol's `exception` object; `file` is relative to the work dir when under it."""
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 - a broken __str__ in learner code
        message = f"<unprintable {type(error).__name__} object>"
    try:
        formatted = "".join(traceback.format_exception(error))
    except Exception:  # noqa: BLE001
        formatted = f"{exception_type_name(type(error))}: {message}\n"
    file_name, line = _error_location(error, locator)
    return {
        "type": exception_type_name(type(error)),
        "message": message,
        "traceback": formatted,
        "file": file_name,
        "line": line,
    }


def _error_location(error, locator):
    # A SyntaxError points at the broken source itself, wherever the import happened.
    if isinstance(error, SyntaxError) and isinstance(error.filename, str):
        return locator.display_path(error.filename), error.lineno
    innermost = None
    innermost_user = None
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        innermost = (filename, tb.tb_lineno)
        if locator.is_under_work_dir(filename):
            innermost_user = innermost
        tb = tb.tb_next
    location = innermost_user or innermost
    if location is None:
        return None, None
    return locator.display_path(location[0]), location[1]
