"""profile: cProfile around the program, reported as a call graph with times in ms.

cProfile aggregates per function, so the harness's own frames (and runpy's) cannot simply be
cut out of a stack; instead the graph is pruned. The learner's program is the entry module's
`<module>` code. Everything reachable from it through calls made by non-harness code is kept;
what only the harness or runpy called (the compile of the entry, runpy's bookkeeping, the
profiler's own disable()) is dropped. For a function called both by the harness and by the
learner (say `exec`), the harness's calls are subtracted from its totals.
"""

import base64
import cProfile
import marshal

from perflab_harness.paths import BUILTIN_FILE, is_harness_file
from perflab_harness.program import run_entry

# What cProfile calls the method that stops it; it runs in a harness frame that the profiler
# does not know about, so it shows up as a caller-less root.
_PROFILER_DISABLE = "<method 'disable' of '_lsprof.Profiler' objects>"


def empty_fields():
    return {"functions": [], "edges": [], "totalMs": 0, "pstatsBase64": ""}


def run(context):
    profiler = cProfile.Profile()
    outcome = run_entry(context.entry_path, context.locator, start=profiler.enable, stop=profiler.disable)
    profiler.create_stats()
    learner_stats = learner_only_stats(profiler.stats, context.entry_path)
    context.run.mode_fields = profile_fields(learner_stats, context.locator)
    return outcome


def learner_only_stats(stats, entry_path):
    """The pstats dict with the harness pruned away (see the module docstring).

    pstats layout: {func: (primitive_calls, calls, tottime_s, cumtime_s, callers)} with
    callers = {caller_func: (calls, primitive_calls, tottime_s, cumtime_s)} - note the first
    two are swapped in the callers' tuples.
    """
    entry_module_keys = {key for key in stats if key[0] == entry_path and key[2] == "<module>"}
    harness_keys = {key for key in stats if is_harness_file(key[0])}
    roots = set(entry_module_keys)
    for key, (_, _, _, _, callers) in stats.items():
        if not callers and key not in harness_keys and not (key[0] == BUILTIN_FILE and key[2] == _PROFILER_DISABLE):
            roots.add(key)

    callees = {}
    for key, (_, _, _, _, callers) in stats.items():
        for caller in callers:
            callees.setdefault(caller, []).append(key)
    kept = set()
    pending = list(roots)
    while pending:
        key = pending.pop()
        if key in kept or key in harness_keys:
            continue
        kept.add(key)
        pending.extend(callees.get(key, ()))

    pruned = {}
    for key in kept:
        primitive_calls, calls, tottime_s, cumtime_s, callers = stats[key]
        if key in entry_module_keys:
            # The program's root: its only caller is runpy's exec().
            pruned[key] = (primitive_calls, calls, tottime_s, cumtime_s, {})
            continue
        kept_callers = {caller: edge for caller, edge in callers.items() if caller in kept}
        if callers and not kept_callers:
            continue
        if len(kept_callers) < len(callers):
            # Called by the harness too: rebuild the totals from the learner's calls alone.
            # Subtracting would go wrong when the harness's call encloses the learner's (runpy's
            # exec() runs the program, which calls exec() itself), because cProfile counts
            # cumulative time and primitive calls for the outermost call only.
            calls = sum(edge[0] for edge in kept_callers.values())
            tottime_s = sum(edge[2] for edge in kept_callers.values())
            outside_edges = [edge for caller, edge in kept_callers.items() if caller != key]
            primitive_calls = sum(edge[1] for edge in outside_edges)
            cumtime_s = sum(edge[3] for edge in outside_edges)
        pruned[key] = (primitive_calls, calls, tottime_s, cumtime_s, kept_callers)
    # A caller that ended up dropped must not be referenced by the edges left behind.
    for key, (primitive_calls, calls, tottime_s, cumtime_s, callers) in pruned.items():
        pruned[key] = (primitive_calls, calls, tottime_s, cumtime_s, {c: e for c, e in callers.items() if c in pruned})
    return pruned


def _display_key(key, locator):
    filename, line, name = key
    return (locator.display_path(filename), line, name)


def profile_fields(stats, locator):
    # Paths are made relative in the pstats blob too, so a downloaded .prof shows "main.py".
    display_stats = {}
    for key, (primitive_calls, calls, tottime_s, cumtime_s, callers) in stats.items():
        display_callers = {_display_key(caller, locator): edge for caller, edge in callers.items()}
        display_stats[_display_key(key, locator)] = (primitive_calls, calls, tottime_s, cumtime_s, display_callers)

    ordered = sorted(stats, key=lambda key: stats[key][3], reverse=True)
    ids = {key: index for index, key in enumerate(ordered)}
    functions = []
    edges = []
    for key in ordered:
        primitive_calls, calls, tottime_s, cumtime_s, callers = stats[key]
        filename, line, name = key
        functions.append(
            {
                "id": ids[key],
                "name": name,
                "file": locator.display_path(filename),
                "line": line,
                "origin": locator.origin(filename),
                "ncalls": calls,
                "primitiveCalls": primitive_calls,
                "tottimeMs": tottime_s * 1000,
                "cumtimeMs": cumtime_s * 1000,
            }
        )
        for caller, (edge_calls, edge_primitive_calls, edge_tottime_s, edge_cumtime_s) in callers.items():
            edges.append(
                {
                    "callerId": ids[caller],
                    "calleeId": ids[key],
                    "ncalls": edge_calls,
                    "primitiveCalls": edge_primitive_calls,
                    "tottimeMs": edge_tottime_s * 1000,
                    "cumtimeMs": edge_cumtime_s * 1000,
                }
            )
    total_s = sum(entry[2] for entry in stats.values())
    return {
        "functions": functions,
        "edges": edges,
        "totalMs": total_s * 1000,
        "pstatsBase64": base64.b64encode(marshal.dumps(display_stats)).decode("ascii"),
    }
