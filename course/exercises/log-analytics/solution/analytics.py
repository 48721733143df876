"""A daily report from the shop's access log: traffic per endpoint, errors and latency.

    perflab run analytics.py              writes the demo log (access.log) on first use and reports on it
    perflab run analytics.py other.log    reports on another log

build_report(lines) does the work; the rules for the report are in exercise.md.
"""
import sys
from array import array
from collections import namedtuple
from collections.abc import Iterable, Iterator

import numpy as np

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


# The pipeline: each stage is a generator, so one line at a time flows from the file to the
# totals and nothing holds the whole log. read_lines -> parse_requests -> build_report.

def read_lines(path: str) -> Iterator[str]:
    """The log's lines, one at a time (a file object reads it in small buffered chunks)."""
    with open(path, encoding="ascii") as log:
        yield from log


def parse_requests(lines: Iterable[str]) -> Iterator[Request | None]:
    """The request on each line, or None for a line that is not a request."""
    for line in lines:
        yield parse_line(line)


def build_report(lines: Iterable[str]) -> dict:
    """The report for an iterable of log lines (see exercise.md for every field)."""
    # One pass. Per endpoint, only its latencies are kept, as raw 8-byte floats in an
    # array.array (a Python list would hold a 24-byte float object plus an 8-byte pointer
    # for each); the endpoint's hit count is the length of that array.
    latencies_by_endpoint: dict[str, array] = {}
    skipped = server_errors = 0
    for request in parse_requests(lines):
        if request is None:
            skipped += 1
            continue
        endpoint, status, latency = request
        latencies = latencies_by_endpoint.get(endpoint)
        if latencies is None:
            latencies = latencies_by_endpoint[endpoint] = array("d")
        latencies.append(latency)
        if status >= 500:
            server_errors += 1

    # The statistics in C: each NumPy array is built once (np.frombuffer shares the array's
    # memory, np.concatenate copies the groups into one block), and np.percentile does the
    # sorting and interpolation for all three percentiles in one call.
    groups = {endpoint: np.frombuffer(values, dtype=np.float64) for endpoint, values in latencies_by_endpoint.items()}
    latency_ms = None
    if groups:
        everything = np.concatenate(list(groups.values()))
        p50, p90, p99 = np.percentile(everything, [50, 90, 99])
        latency_ms = {"mean": float(everything.mean()), "p50": float(p50), "p90": float(p90),
                      "p99": float(p99), "max": float(everything.max())}
    return {
        "requests": sum(len(values) for values in groups.values()),
        "skipped": skipped,
        "server_errors": server_errors,
        "hits": {endpoint: len(values) for endpoint, values in groups.items()},
        "latency_ms": latency_ms,
        "p95_by_endpoint": {endpoint: float(np.percentile(values, 95)) for endpoint, values in groups.items()},
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
    print_report(build_report(read_lines(path)))


if __name__ == "__main__":
    main(sys.argv)
