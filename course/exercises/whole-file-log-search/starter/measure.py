"""How much memory does search.report need as the log grows? Read-only.

    perflab run measure.py

Writes logs of 1, 8 and 64 times sample.log (its lines repeated) to a temporary folder,
runs search.report on each under tracemalloc, and prints the traced peak: the most memory
that Python objects held at any one moment while the report ran. A search that streams
needs about the same memory whatever the size of the log; one that holds the whole log
needs memory in proportion to it.
"""
import os
import tempfile
import tracemalloc

import search


def main() -> None:
    with open("sample.log", encoding="utf-8") as sample_file:
        sample = sample_file.read()
    first_peak = None
    with tempfile.TemporaryDirectory() as folder:
        for times in (1, 8, 64):
            path = os.path.join(folder, f"log-x{times}.log")
            with open(path, "w", encoding="utf-8") as out:
                for _ in range(times):
                    out.write(sample)
            megabytes = os.path.getsize(path) / 1e6
            tracemalloc.start()
            search.report(path)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            os.remove(path)
            first_peak = first_peak or peak
            print(f"{times:2d} x sample.log ({megabytes:5.2f} MB): traced peak {peak / 1e6:6.2f} MB"
                  f"  ({peak / first_peak:4.1f} x the peak for 1 x)")


if __name__ == "__main__":
    main()
