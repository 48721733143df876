"""The build team's summariser: reads numbers from standard input, one per line, and prints
one line of statistics. Read-only: other scripts use it too.

    printf '3\n4\n5\n' | python summarise.py
    count=3 mean=4.0 median=4.0 max=5.0

Like most Unix filters it reads until end of input, so it waits for as long as its standard
input stays open.
"""
import statistics
import sys


def main() -> int:
    values = [float(line) for line in sys.stdin if line.strip()]
    if not values:
        print("no values on standard input", file=sys.stderr)
        return 1
    print(
        f"count={len(values)} mean={statistics.fmean(values):.1f} "
        f"median={statistics.median(values):.1f} max={max(values):.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
