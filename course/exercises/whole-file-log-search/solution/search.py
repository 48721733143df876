"""Checkout failures in a web server's access log.

    perflab run search.py sample.log       prints the report for the sample log
    perflab run measure.py                 traced peak memory for logs of growing size

Each request is one line:

    2024-06-12T08:02:02.733Z web-1 POST /api/checkout/confirm 502 405ms user=u32081 trace=c5973ecd

(time, host, method, path, status, duration, user, trace id). Failed payments add a stack
trace of several lines after their request, which is not a request and is skipped. The
production logs are several gigabytes a day.
"""
import heapq
import sys
from collections import Counter


def parse(line: str):
    """The request on one log line as a dict, or None for a line that is not a request."""
    parts = line.split()
    if len(parts) != 8 or not parts[5].endswith("ms") or not parts[4].isdigit():
        return None
    return {
        "time": parts[0],
        "host": parts[1],
        "method": parts[2],
        "path": parts[3],
        "status": int(parts[4]),
        "ms": int(parts[5][:-2]),
        "user": parts[6].removeprefix("user="),
        "trace": parts[7].removeprefix("trace="),
    }


def read_lines(path: str):
    """The lines of the file at `path`, one at a time: the file object reads it in blocks,
    so only one block and one line are in memory at any moment."""
    with open(path, encoding="utf-8") as log:
        yield from log


def parse_requests(lines):
    """The requests among `lines`, one at a time (stack-trace lines are skipped)."""
    for line in lines:
        request = parse(line)
        if request is not None:
            yield request


def is_checkout_failure(request: dict) -> bool:
    return request["path"].startswith("/api/checkout/") and request["status"] >= 500


def report(path: str) -> str:
    """How many requests the log holds, and which checkout requests failed: by status, by
    host, and the five slowest (slowest first; equal times in log order)."""
    # One pass, read -> parse -> filter -> aggregate, holding only running totals and the
    # five slowest failures so far, never the log or the list of its requests.
    request_count = 0
    failure_count = 0
    by_status = Counter()
    by_host = Counter()
    slowest = []
    for request in parse_requests(read_lines(path)):
        request_count += 1
        if not is_checkout_failure(request):
            continue
        failure_count += 1
        by_status[request["status"]] += 1
        by_host[request["host"]] += 1
        # nlargest is stable like sorted(): among equal times the earlier request stays first.
        slowest = heapq.nlargest(5, slowest + [request], key=lambda failed: failed["ms"])
    lines = [f"{request_count} requests, {failure_count} failed checkout requests"]
    lines.append("by status: " + ", ".join(f"{status}={count}" for status, count in sorted(by_status.items())))
    lines.append("by host:   " + ", ".join(f"{host}={count}" for host, count in sorted(by_host.items())))
    lines.append("slowest:")
    for request in slowest:
        lines.append(f"  {request['ms']:6d} ms  {request['time']}  {request['host']}  {request['path']}  {request['status']}"
                     f"  trace={request['trace']}")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: search.py LOGFILE")
    print(report(sys.argv[1]))
