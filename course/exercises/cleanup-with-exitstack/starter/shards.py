"""Merges the day's event-log shards into one file, in time order.

Each of the day's collector processes writes its own shard: a text file of lines
"TIMESTAMP,EVENT", sorted by TIMESTAMP (an integer). How many shards there are depends on
how many collectors ran, so it is only known at run time. The merged log is written next
to its final name as "NAME.part" and renamed when it is complete, so that readers never
see half a file.
"""
import heapq
import os


def read_events(lines, name: str):
    """Yield (timestamp, line) for each line of a shard; a line that is not
    "TIMESTAMP,EVENT" is an error that names the shard and the line number."""
    for number, line in enumerate(lines, 1):
        stamp, comma, event = line.partition(",")
        if not comma or not stamp.isdigit() or not event.strip():
            raise ValueError(f"{name} line {number}: expected TIMESTAMP,EVENT, got {line.strip()[:30]!r}")
        yield int(stamp), line if line.endswith("\n") else line + "\n"


def merge_shards(shard_paths: list[str], out_path: str) -> int:
    """Merge the sorted shards into out_path, in time order; return how many events it holds."""
    part_path = out_path + ".part"
    shards = []
    for path in shard_paths:
        shards.append(open(path, encoding="utf-8"))
    out = open(part_path, "w", encoding="utf-8")
    streams = [read_events(shard, os.path.basename(path)) for shard, path in zip(shards, shard_paths)]
    count = 0
    for _, line in heapq.merge(*streams):
        out.write(line)
        count += 1
    out.close()
    for shard in shards:
        shard.close()
    os.replace(part_path, out_path)
    return count
