"""lines: line-by-line timing of chosen functions, without the learner changing any code.

line_profiler times the code objects it was given, recognising them by their bytecode: when
a function is added it gets a padded copy of its code (a few trailing no-ops) whose lines
are then timed. The padded code must therefore be what actually runs. Rather than patching
function objects after the fact (too late for code that runs during the module's own
execution, and blind to functions in closures or class bodies), the harness swaps the
target code objects inside the module's compiled code before that code runs:

- the entry file: runpy.run_path compiles it with the builtin `compile`, looked up as a
  global of the runpy module, so the harness puts a wrapping `compile` there for the run;
- other user modules: a meta-path finder loads the work dir's modules that hold targets
  with a source loader whose `source_to_code` does the same swap.

Functions anywhere in the module are found this way: top level, methods, nested functions.
Threads the program starts are timed too (threading.settrace enables the profiler in them).
"""

import builtins
import importlib.abc
import importlib.machinery
import linecache
import os
import runpy
import sys
import threading
import types

from line_profiler._line_profiler import LineProfiler

from perflab_harness.program import run_entry


def empty_fields():
    return {"functions": []}


class TargetSet:
    """The job's targets, resolved to absolute paths, and the code objects found for them."""

    def __init__(self, targets, work_dir):
        self.targets = targets
        self.by_file = {}
        for target in targets:
            self.by_file.setdefault(os.path.join(work_dir, target.file), []).append(target)
        # id(target) -> the padded code object that runs in its place
        self.found_code = {}

    def holds_targets(self, filename):
        return os.path.abspath(filename) in self.by_file

    def matching_target(self, code):
        for target in self.by_file.get(os.path.abspath(code.co_filename), ()):
            if _code_matches(code, target):
                return target
        return None


def _code_matches(code, target):
    if target.name not in (code.co_name, getattr(code, "co_qualname", code.co_name)):
        return False
    if target.line == code.co_firstlineno:
        return True
    # A decorated function's code starts at its first decorator; accept the `def` line (or
    # any line of a multi-line signature) too: anything before the body's first line.
    body_lines = [line for _, _, line in code.co_lines() if line is not None and line > code.co_firstlineno]
    return code.co_firstlineno < target.line < (min(body_lines) if body_lines else code.co_firstlineno + 1)


class CodeInstrumenter:
    """Replaces target code objects, at any depth of a module's code, by profiled copies."""

    def __init__(self, targets, profiler):
        self.targets = targets
        self.profiler = profiler

    def instrument(self, code):
        new_consts = tuple(
            self.instrument(const) if isinstance(const, types.CodeType) else const for const in code.co_consts
        )
        if new_consts != code.co_consts:
            code = code.replace(co_consts=new_consts)
        target = self.targets.matching_target(code)
        if target is not None:
            code = self._profiled_copy(code)
            self.targets.found_code[id(target)] = code
        return code

    def _profiled_copy(self, code):
        # add_function() wants a function and pads the code it finds there; a throwaway
        # function carries the code object in and the padded copy out.
        closure = tuple(types.CellType() for _ in code.co_freevars) or None
        carrier = types.FunctionType(code, {}, code.co_name, None, closure)
        self.profiler.add_function(carrier)
        return carrier.__code__


class _InstrumentingSourceLoader(importlib.machinery.SourceFileLoader):
    instrumenter = None  # set on the subclass made per run

    def get_code(self, fullname):
        # Always from source: a cached .pyc would hold the unpadded code.
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)

    def source_to_code(self, data, path, *, _optimize=-1):
        code = compile(data, path, "exec", dont_inherit=True, optimize=_optimize)
        return self.instrumenter.instrument(code)


class _UserModuleFinder(importlib.abc.MetaPathFinder):
    """Finds modules like the normal path finder, and instruments those holding targets."""

    def __init__(self, targets, loader_class):
        self.targets = targets
        self.loader_class = loader_class

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        if not spec.origin or not self.targets.holds_targets(spec.origin):
            return None
        spec.loader = self.loader_class(fullname, spec.origin)
        return spec


def run(context):
    targets = TargetSet(context.job.line_targets, context.work_dir)
    profiler = LineProfiler()
    instrumenter = CodeInstrumenter(targets, profiler)
    loader_class = type("InstrumentingSourceLoader", (_InstrumentingSourceLoader,), {"instrumenter": instrumenter})
    finder = _UserModuleFinder(targets, loader_class)

    def compile_for_runpy(source, filename, mode, *args, **kwargs):
        code = builtins.compile(source, filename, mode, *args, **kwargs)
        if mode == "exec" and isinstance(code, types.CodeType) and targets.holds_targets(filename):
            code = instrumenter.instrument(code)
        return code

    def enable_in_new_thread(frame, event, arg):
        # Runs once, as the new thread's first trace event: hands the thread to the
        # profiler, whose C tracer replaces this Python one.
        profiler.enable_by_count()

    def start():
        sys.meta_path.insert(0, finder)
        runpy.compile = compile_for_runpy
        threading.settrace(enable_in_new_thread)
        profiler.enable_by_count()

    def stop():
        profiler.disable_by_count()
        threading.settrace(None)
        del runpy.compile
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)

    outcome = run_entry(context.entry_path, context.locator, start=start, stop=stop)
    # Threads still running keep timing until they end: read the numbers at exit.
    context.run.finishers.append(lambda: _report(context, targets, profiler))
    return outcome


def _report(context, targets, profiler):
    stats = profiler.get_stats()
    seconds_per_unit = stats.unit
    functions = []
    for target in targets.targets:
        code = targets.found_code.get(id(target))
        if code is None:
            # Never compiled: wrong name or line, or a module the program never imported.
            functions.append({"name": target.name, "file": target.file, "line": target.line, "totalMs": 0, "lines": []})
            continue
        by_line = {}
        for line, hits, time_units in _timings_of(stats, code):
            previous_hits, previous_units = by_line.get(line, (0, 0))
            by_line[line] = (previous_hits + hits, previous_units + time_units)
        lines = []
        for line in _source_line_range(code):
            hits, time_units = by_line.get(line, (0, 0))
            lines.append(
                {
                    "line": line,
                    "hits": hits,
                    "timeMs": time_units * seconds_per_unit * 1000,
                    "source": linecache.getline(code.co_filename, line).rstrip("\r\n"),
                }
            )
        functions.append(
            {
                "name": target.name,
                "file": target.file,
                "line": target.line,
                "totalMs": sum(entry["timeMs"] for entry in lines),
                "lines": lines,
            }
        )
    context.run.mode_fields = {"functions": functions}


def _timings_of(stats, code):
    # line_profiler labels code by (file, first line, name), where the name is the
    # qualified name on Pythons that have one.
    for name in {code.co_name, getattr(code, "co_qualname", code.co_name)}:
        timings = stats.timings.get((code.co_filename, code.co_firstlineno, name))
        if timings:
            return timings
    return []


def _source_line_range(code):
    """First line (the def, or its first decorator) through the last line with code."""
    last_line = code.co_firstlineno
    pending = [code]
    while pending:
        current = pending.pop()
        for _, _, line in current.co_lines():
            if line is not None and line > last_line:
                last_line = line
        pending.extend(const for const in current.co_consts if isinstance(const, types.CodeType))
    return range(code.co_firstlineno, last_line + 1)
