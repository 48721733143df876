"""memray: memray's Tracker around the program; the heap at its peak as a call tree, and what
was never freed.

The Tracker starts right before the entry runs and stops at the learner process's exit (after
non-daemon threads and the program's atexit handlers), so "leaked" means what memray means:
allocated while tracking and not freed when tracking stopped. Module globals of the program
are still alive then, so a module-level cache is reported as leaked. Allocations are those
the allocator sees: Python's small-object allocator is not traced object by object (memray's
default), so small objects show as the arenas they were carved from. With follow_fork, forked
children (multiprocessing's "fork" workers) write captures of their own next to the main one;
their peaks and leaks are added to the learner process's (each process at its own peak).

Every figure comes from the learner process: display only. Bytes throughout.
"""

import base64
import glob
import heapq
import os
import tempfile

import memray
from memray._memray import compute_statistics

from perflab_harness.paths import is_harness_file
from perflab_harness.program import run_entry

# Stack depth memray keeps per allocation (its own default is 128 Python frames).
MAX_STACK_FRAMES = 128


def empty_fields():
    return {
        "tracer": {"name": "memray", "version": memray.__version__},
        "nativeTraces": False,
        "peakBytes": 0,
        "peakAllocations": 0,
        "totalAllocatedBytes": 0,
        "peakTree": {"frame": None, "bytes": 0, "allocations": 0, "children": []},
        "leaks": [],
        "leakedBytes": 0,
        "captureBase64": None,
        "captureBytes": 0,
    }


def run(context):
    capture_dir = tempfile.mkdtemp(prefix="perflab-memray-")
    capture_path = os.path.join(capture_dir, "capture.bin")
    tracker = memray.Tracker(capture_path, native_traces=context.job.memray_native_traces, follow_fork=True)
    outcome = run_entry(context.entry_path, context.locator, start=tracker.__enter__)
    context.run.finishers.append(lambda: _report(context, tracker, capture_path))
    return outcome


def _report(context, tracker, capture_path):
    tracker.__exit__(None, None, None)
    job = context.job
    native = job.memray_native_traces
    reader = memray.FileReader(capture_path)
    try:
        peak_bytes = reader.metadata.peak_memory
        peak_allocations = sum(record.n_allocations for record in _records(reader, peak=True))
    finally:
        reader.close()
    total_bytes = compute_statistics(capture_path).total_memory_allocated
    peak_stacks, leak_stacks = _read_capture(capture_path, native, context.locator, context.entry_path)
    for child_path in sorted(glob.glob(capture_path + ".*")):
        try:
            child_peaks, child_leaks = _read_capture(child_path, native, context.locator, context.entry_path)
        except Exception:  # noqa: BLE001 - a worker killed before memray closed its file
            continue
        peak_stacks += child_peaks
        leak_stacks += child_leaks
    peak_stacks = [entry for entry in peak_stacks if entry is not None]
    leak_stacks = [entry for entry in leak_stacks if entry is not None]
    capture_bytes = os.path.getsize(capture_path)
    capture_base64 = None
    if capture_bytes <= job.memray_max_capture_bytes:
        with open(capture_path, "rb") as capture:
            capture_base64 = base64.b64encode(capture.read()).decode("ascii")
    leaks = sorted(
        ({"bytes": size, "allocations": count, "frames": frames} for frames, size, count in leak_stacks),
        key=lambda leak: leak["bytes"],
        reverse=True,
    )
    context.run.mode_fields = {
        **empty_fields(),
        "nativeTraces": native,
        "peakBytes": peak_bytes,
        "peakAllocations": peak_allocations,
        "totalAllocatedBytes": total_bytes,
        "peakTree": fold_tree(build_tree(peak_stacks), job.memray_max_nodes),
        "leaks": leaks[: job.memray_max_leaks],
        "leakedBytes": sum(leak["bytes"] for leak in leaks),
        "captureBase64": capture_base64,
        "captureBytes": capture_bytes,
    }


def _records(reader, peak):
    if peak:
        return reader.get_high_watermark_allocation_records(merge_threads=True)
    return reader.get_leaked_allocation_records(merge_threads=True)


def _read_capture(path, native, locator, entry_path):
    """(peak stacks, leak stacks) of one capture; memray raises plain exceptions for a
    truncated file."""
    reader = memray.FileReader(path)
    try:
        peaks = [_stack(record, native, locator, entry_path) for record in _records(reader, peak=True)]
        leaks = [_stack(record, native, locator, entry_path) for record in _records(reader, peak=False)]
    finally:
        reader.close()
    return peaks, leaks


def _stack(record, native, locator, entry_path):
    """(frames innermost first, bytes, allocations) of one memray record, or None for what the
    harness itself allocated. Frames from the first harness (or runpy) frame outward are cut:
    they are how the program was started, not the program."""
    python_frames = record.stack_trace(max_stacks=MAX_STACK_FRAMES)
    if python_frames and is_harness_file(python_frames[0][1]):
        return None  # the innermost Python code was the harness's
    if native:
        try:
            frames = _hybrid_frames(record.hybrid_stack_trace(max_stacks=MAX_STACK_FRAMES), python_frames)
        except NotImplementedError:
            frames = [(frame, False) for frame in python_frames]
    else:
        frames = [(frame, False) for frame in python_frames]
    kept = []
    outermost_python = None
    for (name, file, line), is_native in frames:
        if not is_native and is_harness_file(file):
            # Below the entry's module there is only the harness: what the harness or runpy
            # called on their own (runpy's pkgutil lookup, say) is not the program's.
            if outermost_python != ("<module>", entry_path):
                return None
            # The interpreter's frames between the module and runpy's exec() start it too.
            while kept and kept[-1]["native"]:
                kept.pop()
            break
        if not is_native:
            outermost_python = (name, file)
        kept.append(_frame(name, file, line, is_native, locator))
    if outermost_python is None:
        return None  # no Python frame at all: the interpreter's own, nothing to point at
    return kept, record.size, record.n_allocations


def _hybrid_frames(hybrid, python_frames):
    """Marks each frame of a hybrid stack native or not: the Python frames appear in it in the
    same order as in the Python-only stack (both innermost first)."""
    marked = []
    python_index = 0
    for frame in hybrid:
        if python_index < len(python_frames) and tuple(frame) == tuple(python_frames[python_index]):
            marked.append((frame, False))
            python_index += 1
        else:
            marked.append((frame, True))
    return marked


def _frame(name, file, line, is_native, locator):
    return {
        "name": str(name),
        "file": locator.display_path(str(file)),
        "line": int(line) if isinstance(line, int) else 0,
        "origin": "builtin" if is_native else locator.origin(str(file)),
        "native": is_native,
    }


def build_tree(stacks):
    """The call tree of (frames innermost first, bytes, allocations) stacks: root frame None,
    a node's bytes and allocations include its children's, innermost frames at the leaves."""
    root = {"frame": None, "bytes": 0, "allocations": 0, "children": []}
    index = {}  # (id of parent node, frame key) -> child node
    for frames, size, count in stacks:
        node = root
        node["bytes"] += size
        node["allocations"] += count
        for frame in reversed(frames):
            key = (id(node), frame["name"], frame["file"], frame["line"], frame["native"])
            child = index.get(key)
            if child is None:
                child = {"frame": frame, "bytes": 0, "allocations": 0, "children": []}
                node["children"].append(child)
                index[key] = child
            child["bytes"] += size
            child["allocations"] += count
            node = child
    return root


def fold_tree(root, max_nodes):
    """At most max_nodes nodes: the smallest leaves are folded into their parents (whose
    bytes already include them) until the tree fits. Children are ordered heaviest first."""
    parents = {}
    remaining_children = {}
    leaves = []
    count = 0
    pending = [root]
    while pending:
        node = pending.pop()
        count += 1
        remaining_children[id(node)] = len(node["children"])
        for child in node["children"]:
            parents[id(child)] = node
            pending.append(child)
        if not node["children"] and node is not root:
            heapq.heappush(leaves, (node["bytes"], id(node), node))
    removed = set()
    while count > max_nodes and leaves:
        _, leaf_id, _ = heapq.heappop(leaves)
        removed.add(leaf_id)
        count -= 1
        parent = parents[leaf_id]
        remaining_children[id(parent)] -= 1
        if remaining_children[id(parent)] == 0 and parent is not root:
            heapq.heappush(leaves, (parent["bytes"], id(parent), parent))
    pending = [root]
    while pending:
        node = pending.pop()
        kept = [child for child in node["children"] if id(child) not in removed]
        kept.sort(key=lambda child: child["bytes"], reverse=True)
        node["children"] = kept
        pending.extend(kept)
    return root
