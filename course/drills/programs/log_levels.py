"""Count log lines per level in a service's log file."""

import re
import sys

LOG_LINE = r"(?P<ts>\d{4}-\d\d-\d\dT[\d:]+)\s+(?P<level>[A-Z]+)\s+(?P<msg>.*)"
LOG_RE = re.compile(LOG_LINE)
SAMPLE = "2025-03-14T09:26:53 WARNING disk /var/lib/postgres is 91% full"


def count_levels(lines):
    counts = {}
    for line in lines:
        found = LOG_RE.match(line)
        if found:
            level = found["level"]
            counts[level] = counts.get(level, 0) + 1
    return counts


if __name__ == "__main__":
    print(count_levels(sys.stdin))
