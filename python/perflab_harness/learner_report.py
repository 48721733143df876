"""The learner report: what the learner process tells the supervisor at its end, and the
supervisor's check of it.

The report is written by harness code, but in a process where learner code ran, so anything
in it may be forged. The supervisor accepts it only when every field has the shape the host's
zod schema (src/core/documents.ts) expects; otherwise the whole report is dropped and the
document carries the mode's empty fields. Either way the common figures (exit status, CPU,
peak memory) are the kernel's, never the report's. The checks are written out here because
they run on every run's path; tests/test_contract.py holds them to result.schema.json.

  {"exception": {...} | null, "setupError": {...} | null, "modeFields": {...},
   "childrenMaxRssKb": peak RSS of the largest child the learner process waited for}
"""

import math

MAX_LIST_ITEMS = 1_000_000
ORIGINS = ("user", "stdlib", "site-packages", "builtin")
SETUP_ERROR_KINDS = ("entry-missing", "not-utf8", "bad-job", "harness")


class _Bad(Exception):
    pass


def _int(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad
    return value


def _num(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _Bad
    return value


def _str(value):
    if not isinstance(value, str):
        raise _Bad
    return value


def _bool(value):
    if not isinstance(value, bool):
        raise _Bad
    return value


def _nullable(check):
    return lambda value: None if value is None else check(value)


def _enum(options):
    def check(value):
        if value not in options:
            raise _Bad
        return value

    return check


def _positive_int(value):
    if _int(value) < 1:
        raise _Bad
    return value


def _list(item_check):
    def check(value):
        if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
            raise _Bad
        return [item_check(item) for item in value]

    return check


def _object(fields, optional=()):
    """Exactly these keys (plus the optional ones), each checked; nothing else kept."""

    def check(value):
        if not isinstance(value, dict):
            raise _Bad
        checked = {}
        for key, field_check in fields.items():
            if key not in value:
                raise _Bad
            checked[key] = field_check(value[key])
        for key, field_check in optional:
            if key in value:
                checked[key] = field_check(value[key])
        return checked

    return check


_PROFILED_FUNCTION = _object(
    {
        "id": _int,
        "name": _str,
        "file": _str,
        "line": _int,
        "origin": _enum(ORIGINS),
        "ncalls": _int,
        "primitiveCalls": _int,
        "tottimeMs": _num,
        "cumtimeMs": _num,
    }
)
_CALL_EDGE = _object(
    {
        "callerId": _int,
        "calleeId": _int,
        "ncalls": _int,
        "primitiveCalls": _int,
        "tottimeMs": _num,
        "cumtimeMs": _num,
    }
)
_LINE_TIMING = _object({"line": _int, "hits": _int, "timeMs": _num, "source": _str})
_FUNCTION_LINES = _object({"name": _str, "file": _str, "line": _int, "totalMs": _num, "lines": _list(_LINE_TIMING)})
_ALLOCATION_SITE = _object(
    {"file": _str, "line": _int, "origin": _enum(ORIGINS), "sizeBytes": _num, "count": _int, "source": _str}
)
_TIMEIT_CANDIDATE = _object({"expr": _str, "loopsPerSample": _positive_int, "samplesS": _list(_num)})
_REPEAT_OUTCOME = _object({"exitCode": _nullable(_int), "stdout": _str, "count": _int, "stderrSample": _str})


def _nonnegative(value):
    if _num(value) < 0:
        raise _Bad
    return value


def _nonnegative_int(value):
    if _int(value) < 0:
        raise _Bad
    return value


def _num_or_str(value):
    return value if isinstance(value, str) else _num(value)


def _json_object(value):
    if not isinstance(value, dict):
        raise _Bad
    return value


def _capped(check, max_items):
    def capped(value):
        if isinstance(value, list) and len(value) > max_items:
            raise _Bad
        return check(value)

    return capped


# The job schema's largest caps (src/core/documents.ts): a report over them is not the harness's.
MAX_TRACE_EVENTS = 2_000_000
MAX_MEMORY_LEAKS = 1000
MAX_MEMORY_TREE_NODES = 20_000

# Chrome trace events: the fields the host reads, checked; any other key is dropped.
_TRACE_EVENT = _object(
    {"ph": _str},
    optional=[
        ("name", _str),
        ("cat", _str),
        ("pid", _num_or_str),
        ("tid", _num_or_str),
        ("ts", _num),
        ("dur", _num),
        ("id", _num_or_str),
        ("s", _str),
        ("args", _json_object),
    ],
)
_MEMORY_FRAME = _object({"name": _str, "file": _str, "line": _int, "origin": _enum(ORIGINS), "native": _bool})
_MEMORY_LEAK = _object({"bytes": _nonnegative, "allocations": _nonnegative_int, "frames": _list(_MEMORY_FRAME)})


def _memory_tree(value):
    """The peak tree, walked without recursion; at most MAX_MEMORY_TREE_NODES nodes."""
    root = {}
    pending = [(value, root)]
    nodes = 0
    while pending:
        raw, checked = pending.pop()
        nodes += 1
        if nodes > MAX_MEMORY_TREE_NODES or not isinstance(raw, dict) or not isinstance(raw.get("children"), list):
            raise _Bad
        checked["frame"] = _nullable(_MEMORY_FRAME)(raw.get("frame"))
        checked["bytes"] = _nonnegative(raw.get("bytes"))
        checked["allocations"] = _nonnegative_int(raw.get("allocations"))
        checked["children"] = []
        for child in raw["children"]:
            checked_child = {}
            checked["children"].append(checked_child)
            pending.append((child, checked_child))
    return root


MODE_FIELDS = {
    "run": _object({}),
    "profile": _object(
        {"functions": _list(_PROFILED_FUNCTION), "edges": _list(_CALL_EDGE), "totalMs": _num, "pstatsBase64": _str}
    ),
    "lines": _object({"functions": _list(_FUNCTION_LINES)}),
    "memory": _object(
        {
            "peakBytes": _num,
            "finalBytes": _num,
            "peakSites": _list(_ALLOCATION_SITE),
            "finalSites": _list(_ALLOCATION_SITE),
            "types": _list(_object({"type": _str, "count": _int, "sizeBytes": _num})),
        },
        optional=[("peakSitesTracedBytes", _num)],
    ),
    "timeit": _object({"gcEnabled": _bool, "candidates": _list(_TIMEIT_CANDIDATE)}),
    "repeat": _object({"times": _int, "outcomes": _list(_REPEAT_OUTCOME)}),
    "timeline": _object(
        {
            "traceEvents": _capped(_list(_TRACE_EVENT), MAX_TRACE_EVENTS),
            "droppedEvents": _nonnegative_int,
            "tracer": _object({"name": _enum(("viztracer",)), "version": _str}),
        }
    ),
    "memray": _object(
        {
            "tracer": _object({"name": _enum(("memray",)), "version": _str}),
            "nativeTraces": _bool,
            "peakBytes": _nonnegative,
            "peakAllocations": _nonnegative_int,
            "totalAllocatedBytes": _nonnegative,
            "peakTree": _memory_tree,
            "leaks": _capped(_list(_MEMORY_LEAK), MAX_MEMORY_LEAKS),
            "leakedBytes": _nonnegative,
            "captureBase64": _nullable(_str),
            "captureBytes": _nonnegative_int,
        }
    ),
}

_EXCEPTION = _object(
    {"type": _str, "message": _str, "traceback": _str, "file": _nullable(_str), "line": _nullable(_int)}
)
_SETUP_ERROR = _object({"kind": _enum(SETUP_ERROR_KINDS), "message": _str})


def check_report(raw, mode):
    """The report with only checked fields, or None when anything is off."""
    if not isinstance(raw, dict) or mode not in MODE_FIELDS:
        return None
    try:
        return {
            "exception": _nullable(_EXCEPTION)(raw.get("exception")),
            "setupError": _nullable(_SETUP_ERROR)(raw.get("setupError")),
            "modeFields": MODE_FIELDS[mode](raw.get("modeFields")),
            "childrenMaxRssKb": max(0, _int(raw.get("childrenMaxRssKb", 0))),
        }
    except (_Bad, RecursionError):
        return None
