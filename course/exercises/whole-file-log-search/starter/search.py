"""Checkout failures in a web server's access log.

    perflab run search.py sample.log       prints the report for the sample log
    perflab run measure.py                 traced peak memory for logs of growing size

Each request is one line:

    2024-06-12T08:02:02.733Z web-1 POST /api/checkout/confirm 502 405ms user=u32081 trace=c5973ecd

(time, host, method, path, status, duration, user, trace id). Failed payments add a stack
trace of several lines after their request, which is not a request and is skipped. The
production logs are several gigabytes a day.
"""
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


def load_requests(path: str) -> list[dict]:
    """Every request in the log file at `path`."""
    with open(path, encoding="utf-8") as log:
        text = log.read()
    requests = []
    for line in text.splitlines():
        request = parse(line)
        if request is not None:
            requests.append(request)
    return requests


def is_checkout_failure(request: dict) -> bool:
    return request["path"].startswith("/api/checkout/") and request["status"] >= 500


def report(path: str) -> str:
    """How many requests the log holds, and which checkout requests failed: by status, by
    host, and the five slowest (slowest first; equal times in log order)."""
    requests = load_requests(path)
    failures = [request for request in requests if is_checkout_failure(request)]
    by_status = Counter(request["status"] for request in failures)
    by_host = Counter(request["host"] for request in failures)
    slowest = sorted(failures, key=lambda request: request["ms"], reverse=True)[:5]
    lines = [f"{len(requests)} requests, {len(failures)} failed checkout requests"]
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
