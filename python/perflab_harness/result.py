"""The result document (perflab.harness/1): the fields every mode shares, and writing it."""

import json
import math
import os
import resource
import sys

RESULT_SCHEMA = "perflab.harness/1"


_IMPLEMENTATION_NAMES = {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalVM"}


def python_info():
    # What platform.python_version() and python_implementation() say, without importing
    # platform (a millisecond on every run).
    return {
        "version": sys.version.split()[0],
        "implementation": _IMPLEMENTATION_NAMES.get(sys.implementation.name, sys.implementation.name),
        "executable": sys.executable,
    }


def cpus_available():
    """CPUs this process may use: its affinity mask, cut down by a visible cgroup quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota_cpus = _cgroup_cpu_quota()
    if quota_cpus is not None:
        cpus = min(cpus, quota_cpus)
    return max(1, cpus)


def _cgroup_cpu_quota():
    """The tightest CPU quota along this process's cgroup path, rounded up; None if none."""
    try:
        with open("/proc/self/cgroup") as cgroup_file:
            lines = cgroup_file.read().splitlines()
    except OSError:
        return None
    tightest = None
    for line in lines:
        hierarchy, _, rest = line.partition(":")
        controllers, _, group_path = rest.partition(":")
        if hierarchy == "0" and controllers == "":
            candidates = [("/sys/fs/cgroup", _read_cpu_max), ("/sys/fs/cgroup/unified", _read_cpu_max)]
        elif "cpu" in controllers.split(","):
            candidates = [("/sys/fs/cgroup/" + controllers, _read_cfs_quota), ("/sys/fs/cgroup/cpu", _read_cfs_quota)]
        else:
            continue
        for root, reader in candidates:
            if not os.path.isdir(root):
                continue
            for directory in _self_and_parents(root, group_path):
                quota = reader(directory)
                if quota is not None and (tightest is None or quota < tightest):
                    tightest = quota
            break
    return None if tightest is None else max(1, math.ceil(tightest))


def _self_and_parents(root, group_path):
    parts = [part for part in group_path.split("/") if part]
    for depth in range(len(parts), -1, -1):
        yield os.path.join(root, *parts[:depth])


def _read_cpu_max(directory):
    try:
        with open(os.path.join(directory, "cpu.max")) as limit_file:
            quota, _, period = limit_file.read().strip().partition(" ")
        if quota == "max":
            return None
        return int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def _read_cfs_quota(directory):
    try:
        with open(os.path.join(directory, "cpu.cfs_quota_us")) as quota_file:
            quota = int(quota_file.read())
        with open(os.path.join(directory, "cpu.cfs_period_us")) as period_file:
            period = int(period_file.read())
        return None if quota <= 0 else quota / period
    except (OSError, ValueError, ZeroDivisionError):
        return None


def resource_usage_fields():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    # ru_maxrss is in kB on Linux. CPU counts this process and every child it has waited
    # for, so that work done in multiprocessing workers or repeat runs is not lost.
    return {
        "selfMaxRssKb": own.ru_maxrss,
        "childrenMaxRssKb": children.ru_maxrss,
        "cpuUserMs": round((own.ru_utime + children.ru_utime) * 1000, 3),
        "cpuSystemMs": round((own.ru_stime + children.ru_stime) * 1000, 3),
    }


def _json_safe(value):
    """JSON has no NaN or infinity, and the host's parser rejects them."""
    if isinstance(value, float):
        return value if math.isfinite(value) else 0.0
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return value


def encode_document(document):
    return json.dumps(_json_safe(document), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def write_all_and_close(fd, data):
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
