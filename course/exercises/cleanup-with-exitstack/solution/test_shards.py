"""Tests for shards.py."""
import os

import pytest

import shards


def test_read_events_parses_each_line():
    lines = ["100,login alice\n", "105,upload bob"]
    assert list(shards.read_events(lines, "s.log")) == [(100, "100,login alice\n"), (105, "105,upload bob\n")]


def test_read_events_names_the_shard_and_line_of_a_broken_line():
    with pytest.raises(ValueError, match="s.log line 2"):
        list(shards.read_events(["100,login alice\n", "oops\n"], "s.log"))


def test_merge_puts_events_in_time_order(tmp_path):
    (tmp_path / "a.log").write_text("1,a\n4,d\n")
    (tmp_path / "b.log").write_text("2,b\n3,c\n5,e\n")
    out = tmp_path / "merged.log"
    assert shards.merge_shards([str(tmp_path / "a.log"), str(tmp_path / "b.log")], str(out)) == 5
    assert out.read_text() == "1,a\n2,b\n3,c\n4,d\n5,e\n"


def test_merge_of_a_missing_shard_is_an_error(tmp_path):
    (tmp_path / "a.log").write_text("1,a\n")
    with pytest.raises(FileNotFoundError):
        shards.merge_shards([str(tmp_path / "a.log"), str(tmp_path / "nope.log")], str(tmp_path / "merged.log"))


# The tests above check what merge_shards returns or raises. The ones below are integration
# tests on real files: they also check what a failed merge leaves behind — open files and
# half-written output — which no test of return values can see.

def open_file_count():
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files through /proc (Linux)")
def test_a_missing_shard_leaves_no_file_open(tmp_path):
    for name in ("a.log", "b.log"):
        (tmp_path / name).write_text("1,a\n")
    paths = [str(tmp_path / "a.log"), str(tmp_path / "b.log"), str(tmp_path / "nope.log")]
    before = open_file_count()
    with pytest.raises(FileNotFoundError) as raised:
        shards.merge_shards(paths, str(tmp_path / "merged.log"))
    # `raised` still holds the error, its traceback and the failed call's local variables,
    # as any caller that logs or reports the error does: nothing may still be open.
    assert open_file_count() == before
    assert raised.value.filename == paths[2]


def test_a_broken_line_leaves_no_partial_output(tmp_path):
    (tmp_path / "a.log").write_text("1,a\n2,b\n")
    (tmp_path / "b.log").write_text("3,c\n-- restarted --\n")
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    with pytest.raises(ValueError, match="b.log line 2"):
        shards.merge_shards([str(tmp_path / "a.log"), str(tmp_path / "b.log")], str(out_folder / "merged.log"))
    assert list(out_folder.iterdir()) == []
