"""Runs merge_shards on good and broken days and reports what it leaves behind. Read-only.

    perflab run cleanup_report.py

For each scenario, the report prints what merge_shards returned or raised, how many files
the process still had open at the moment the caller received the result or the error, and
what is left in the output folder. It also turns on ResourceWarning (hidden by default),
so Python reports on stderr every file that was never closed when it is finally collected,
and starts tracemalloc, so each warning also shows the line that opened the file.

`run_scenario(shards, output_folder_exists)` is the same measurement for one scenario,
returned as a dict (the checks call it with hidden scenarios). A shard is described by a
tuple: ("events", count, seed) a good shard; ("empty",) a shard with no events;
("malformed", count, bad_line, seed) a shard whose line number bad_line is broken;
("missing",) a path where no file exists; ("folder",) a path that is a folder.
"""
import os
import random
import shutil
import tempfile
import tracemalloc
import warnings
import zlib

from shards import merge_shards

EVENTS = ["login", "logout", "upload", "download", "share", "delete", "rename", "comment"]


def open_file_count() -> int:
    """How many file descriptors this process has open right now."""
    folder = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    return len(os.listdir(folder))


def write_shard(path: str, spec: tuple) -> None:
    kind = spec[0]
    if kind == "missing":
        return
    if kind == "folder":
        os.mkdir(path)
        return
    count = spec[1] if kind in ("events", "malformed") else 0
    rng = random.Random(spec[-1] if kind != "empty" else 0)
    stamp = 1_700_000_000 + rng.randrange(1_000)
    lines = []
    for _ in range(count):
        stamp += rng.randrange(1, 90)
        lines.append(f"{stamp},{rng.choice(EVENTS)} user{rng.randrange(500)}\n")
    if kind == "malformed":
        lines[spec[2] - 1] = "-- collector restarted --\n"
    with open(path, "w", encoding="utf-8") as file:
        file.writelines(lines)


def run_scenario(shards: list[tuple], output_folder_exists: bool = True) -> dict:
    root = tempfile.mkdtemp(prefix="merge-")
    try:
        shard_paths = []
        for index, spec in enumerate(shards, 1):
            path = os.path.join(root, f"shard-{index}.log")
            write_shard(path, spec)
            shard_paths.append(path)
        out_folder = os.path.join(root, "out")
        if output_folder_exists:
            os.mkdir(out_folder)
        out_path = os.path.join(out_folder, "merged.log")
        before = open_file_count()
        try:
            count = merge_shards(shard_paths, out_path)
        except (OSError, ValueError) as error:
            # Counted while the caller holds the error, as a caller that logs it, reports it
            # or retries would.
            still_open = open_file_count() - before
            outcome = type(error).__name__ + (f": {error}" if isinstance(error, ValueError) else "")
            crc = None
        else:
            still_open = open_file_count() - before
            outcome = f"merged {count} events"
            with open(out_path, "rb") as merged:
                crc = zlib.crc32(merged.read())
        left = sorted(os.listdir(out_folder)) if os.path.isdir(out_folder) else []
        return {"outcome": outcome, "still_open": still_open, "left_behind": left, "crc32": crc}
    finally:
        shutil.rmtree(root, ignore_errors=True)


SCENARIOS = [
    ("four good shards", [("events", 300, 1), ("events", 250, 2), ("empty",), ("events", 410, 3)], True),
    ("shard 4 of 5 is missing", [("events", 120, 4), ("events", 80, 5), ("events", 95, 6), ("missing",), ("events", 60, 7)], True),
    ("shard 2 of 3 has a broken line", [("events", 200, 8), ("malformed", 200, 150, 9), ("events", 200, 10)], True),
    ("the output folder does not exist", [("events", 50, 11), ("events", 50, 12), ("events", 50, 13)], False),
]


def main() -> None:
    warnings.simplefilter("always", ResourceWarning)
    tracemalloc.start(3)
    for title, shards, output_folder_exists in SCENARIOS:
        result = run_scenario(shards, output_folder_exists)
        print(f"{title}:")
        print(f"  result:     {result['outcome']}")
        print(f"  still open: {result['still_open']} file(s)")
        print(f"  left in the output folder: {', '.join(result['left_behind']) or 'nothing'}")


if __name__ == "__main__":
    main()
