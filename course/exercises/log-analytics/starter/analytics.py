"""A daily report from the shop's access log: traffic per endpoint, errors and latency.

    perflab run analytics.py              writes the demo log (access.log) on first use and reports on it
    perflab run analytics.py other.log    reports on another log

build_report(lines) does the work; the rules for the report are in exercise.md.
"""
import sys
from collections import namedtuple

import sample_log

Request = namedtuple("Request", ["endpoint", "status", "latency_ms"])


def parse_line(line: str) -> Request | None:
    """The request on one log line, or None when the line is not a request.

    A request line has exactly six fields separated by whitespace: timestamp, method, path,
    status, latency in milliseconds, response size. The endpoint is "METHOD path".
    """
    fields = line.split()
    if len(fields) != 6:
        return None
    _timestamp, method, path, status, latency, _size = fields
    try:
        return Request(f"{method} {path}", int(status), float(latency))
    except ValueError:
        return None


def read_log(path: str) -> list[str]:
    """Every line of the log file."""
    with open(path, encoding="ascii") as log:
        return log.read().splitlines()


def kth_smallest(values: list[float], k: int) -> float:
    """The k-th smallest value (k = 0 is the minimum), found without sorting everything:
    split around a pivot and keep only the side that holds it."""
    while True:
        pivot = values[len(values) // 2]
        smaller = [value for value in values if value < pivot]
        if k < len(smaller):
            values = smaller
            continue
        same = sum(1 for value in values if value == pivot)
        if k < len(smaller) + same:
            return pivot
        k -= len(smaller) + same
        values = [value for value in values if value > pivot]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) of a non-empty list: the value at position (n - 1) * p / 100
    of the sorted values, interpolating linearly between the two values around it."""
    position = (len(values) - 1) * p / 100
    below = int(position)
    low = kth_smallest(values, below)
    if below == position:
        return low
    high = kth_smallest(values, below + 1)
    return low + (high - low) * (position - below)


def latency_summary(latencies: list[float]) -> dict[str, float] | None:
    if not latencies:
        return None
    total = 0.0
    slowest = latencies[0]
    for latency in latencies:
        total += latency
        if latency > slowest:
            slowest = latency
    return {
        "mean": total / len(latencies),
        "p50": percentile(latencies, 50),
        "p90": percentile(latencies, 90),
        "p99": percentile(latencies, 99),
        "max": slowest,
    }


def build_report(lines) -> dict:
    """The report for an iterable of log lines (see exercise.md for every field)."""
    records = []
    skipped = 0
    for line in lines:
        record = parse_line(line)
        if record is None:
            skipped += 1
        else:
            records.append(record)

    endpoints = []
    for record in records:
        if record.endpoint not in endpoints:
            endpoints.append(record.endpoint)

    hits = {}
    p95_by_endpoint = {}
    for endpoint in endpoints:
        hits[endpoint] = sum(1 for record in records if record.endpoint == endpoint)
        latencies = [record.latency_ms for record in records if record.endpoint == endpoint]
        p95_by_endpoint[endpoint] = percentile(latencies, 95)

    server_errors = sum(1 for record in records if record.status >= 500)
    return {
        "requests": len(records),
        "skipped": skipped,
        "server_errors": server_errors,
        "hits": hits,
        "latency_ms": latency_summary([record.latency_ms for record in records]),
        "p95_by_endpoint": p95_by_endpoint,
    }


def print_report(report: dict) -> None:
    print(f"{report['requests']} requests, {report['skipped']} other lines, "
          f"{report['server_errors']} server errors")
    latency = report["latency_ms"]
    if latency:
        print("latency ms: " + "  ".join(f"{name} {value:.1f}" for name, value in latency.items()))
    print("busiest endpoints:")
    for endpoint, count in sorted(report["hits"].items(), key=lambda item: (-item[1], item[0]))[:5]:
        print(f"  {count:8d}  {endpoint}")
    print("slowest endpoints (p95 ms):")
    for endpoint, p95 in sorted(report["p95_by_endpoint"].items(), key=lambda item: (-item[1], item[0]))[:5]:
        print(f"  {p95:8.1f}  {endpoint}")


def main(argv: list[str]) -> None:
    path = argv[1] if len(argv) > 1 else sample_log.demo_log()
    print_report(build_report(read_log(path)))


if __name__ == "__main__":
    main(sys.argv)
