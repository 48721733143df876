"""Tests for shards.py."""
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
