"""memray mode: the heap at its peak as a call tree, leaks, and the capture file."""

import base64

import memray
from conftest import assert_well_formed, make_job

HOARD = """
    CACHE = []

    def hoard():
        big = [str(index) * 3 for index in range(300_000)]
        return len(big)

    def remember():
        CACHE.append(bytearray(4_000_000))

    print(hoard())
    remember()
"""


def _memray_job(native=False, max_nodes=2000, max_leaks=20, max_capture_bytes=16 * 1024 * 1024, argv=()):
    return make_job(
        mode="memray",
        argv=list(argv),
        memray={
            "nativeTraces": native,
            "maxLeaks": max_leaks,
            "maxNodes": max_nodes,
            "maxCaptureBytes": max_capture_bytes,
        },
    )


def _heaviest_path(node):
    names = []
    while node["children"]:
        node = max(node["children"], key=lambda child: child["bytes"])
        names.append(node["frame"]["name"])
    return names


def _walk(node):
    yield node
    for child in node["children"]:
        yield from _walk(child)


def test_memray_peak_tree_leads_to_hoard_and_lists_the_cache_as_leaked(harness, tmp_path):
    result = harness.run({"main.py": HOARD}, _memray_job())
    assert result.returncode == 0, result.stderr
    assert result.stdout == "300000\n"
    document = result.document
    assert_well_formed(document, "memray")
    assert document["tracer"] == {"name": "memray", "version": memray.__version__}
    assert document["nativeTraces"] is False

    tree = document["peakTree"]
    assert tree["frame"] is None
    # The list of 300 000 strings is alive at the peak: megabytes, allocated under hoard().
    assert _heaviest_path(tree)[:2] == ["<module>", "hoard"]
    assert tree["bytes"] >= 8_000_000
    assert document["peakBytes"] >= tree["bytes"] * 0.9
    assert document["totalAllocatedBytes"] >= document["peakBytes"]
    for node in _walk(tree):
        assert node["bytes"] >= sum(child["bytes"] for child in node["children"])
        if node["frame"] is not None:
            assert "perflab_harness" not in node["frame"]["file"] and "runpy" not in node["frame"]["file"]
    module = next(child for child in tree["children"] if child["frame"]["name"] == "<module>")
    assert module["frame"]["file"] == "main.py" and module["frame"]["origin"] == "user"

    # The module-level cache outlives the tracker: memray calls it leaked.
    biggest = document["leaks"][0]
    assert biggest["bytes"] >= 4_000_000
    assert [frame["name"] for frame in biggest["frames"]] == ["remember", "<module>"]
    assert biggest["frames"][0]["line"] == 8
    assert document["leakedBytes"] >= biggest["bytes"]

    # The capture opens with memray itself.
    capture = base64.b64decode(document["captureBase64"])
    assert len(capture) == document["captureBytes"]
    capture_file = tmp_path / "capture.bin"
    capture_file.write_bytes(capture)
    assert memray.FileReader(str(capture_file)).metadata.peak_memory == document["peakBytes"]


def test_memray_caps_nodes_leaks_and_capture(harness):
    result = harness.run({"main.py": HOARD}, _memray_job(max_nodes=10, max_leaks=1, max_capture_bytes=0))
    assert result.returncode == 0, result.stderr
    document = result.document
    assert_well_formed(document, "memray")
    assert len(list(_walk(document["peakTree"]))) <= 10
    assert _heaviest_path(document["peakTree"])[:2] == ["<module>", "hoard"]
    assert len(document["leaks"]) == 1
    assert document["captureBase64"] is None and document["captureBytes"] > 0


def test_memray_native_traces_mark_native_frames_below_python_ones(harness):
    result = harness.run({"main.py": HOARD}, _memray_job(native=True))
    assert result.returncode == 0, result.stderr
    document = result.document
    assert_well_formed(document, "memray")
    assert document["nativeTraces"] is True
    frames = [node["frame"] for node in _walk(document["peakTree"]) if node["frame"] is not None]
    native = [frame for frame in frames if frame["native"]]
    assert native and all(frame["origin"] == "builtin" for frame in native)
    assert any(frame["name"] == "hoard" and not frame["native"] for frame in frames)
    # Innermost first: the allocator's C frames, then the program's; nothing of the
    # interpreter's start below the module.
    cache = document["leaks"][0]["frames"]
    assert cache[0]["native"] and cache[-1] == {
        "name": "<module>",
        "file": "main.py",
        "line": 11,
        "origin": "user",
        "native": False,
    }


POOL = """
    import multiprocessing

    def fill(size):
        block = bytearray(size)
        return len(block)

    if __name__ == "__main__":
        multiprocessing.set_start_method("fork")
        with multiprocessing.Pool(2) as pool:
            print(sum(pool.map(fill, [3_000_000] * 4, chunksize=1)))
"""


def test_memray_adds_forked_pool_workers(harness):
    result = harness.run({"main.py": POOL}, _memray_job())
    assert result.returncode == 0, result.stderr
    assert result.stdout == "12000000\n"
    document = result.document
    assert_well_formed(document, "memray")
    fills = [node for node in _walk(document["peakTree"]) if node["frame"] and node["frame"]["name"] == "fill"]
    # Each worker's peak holds one 3 MB block, allocated in fill() - only the workers ran it.
    assert fills and sum(node["bytes"] for node in fills) >= 3_000_000


def test_the_supervisor_rejects_a_forged_memray_report():
    from perflab_harness import learner_report
    from perflab_harness.mode_memray import empty_fields

    def check(fields):
        report = {"exception": None, "setupError": None, "modeFields": fields, "childrenMaxRssKb": 0}
        return learner_report.check_report(report, "memray")

    assert check(empty_fields()) is not None
    negative = empty_fields()
    negative["peakTree"]["children"] = [{"frame": None, "bytes": -1, "allocations": 0, "children": []}]
    assert check(negative) is None
    # A tree deeper than any recursion limit is walked without recursion, and refused past the cap.
    deep = empty_fields()
    node = deep["peakTree"]
    for _ in range(learner_report.MAX_MEMORY_TREE_NODES + 1):
        child = {"frame": None, "bytes": 0, "allocations": 0, "children": []}
        node["children"].append(child)
        node = child
    assert check(deep) is None
