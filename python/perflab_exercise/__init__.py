"""Helpers that exercise code imports (docs/harness-protocol.md, "Grading mode").

`blocking_fetch(key)` stands in for a slow network call: it blocks for a fixed latency and
returns "data:" + key. During an `overlap` check it asks the grader's latency server (unix
socket PERFLAB_FETCH_SOCKET), which counts how many requests are in flight at once; anywhere
else it just sleeps PERFLAB_FETCH_LATENCY_S seconds (default 0.2), so the learner's program
behaves the same when run by hand, profiled, or graded.
"""

import json
import os
import socket
import time

FETCH_SOCKET_ENV = "PERFLAB_FETCH_SOCKET"
FETCH_LATENCY_ENV = "PERFLAB_FETCH_LATENCY_S"
DEFAULT_FETCH_LATENCY_S = 0.2
# Far longer than any latency the grader uses: only a grader that went away trips it.
SERVER_TIMEOUT_S = 120.0

__all__ = ["blocking_fetch"]


def blocking_fetch(key: str) -> str:
    """Blocks like a network request would (the GIL is released while waiting), then
    returns "data:" + key."""
    if not isinstance(key, str):
        raise TypeError(f"blocking_fetch() key must be a str, not {type(key).__name__}")
    socket_path = os.environ.get(FETCH_SOCKET_ENV)
    if socket_path:
        return _fetch_from_server(socket_path, key)
    time.sleep(_latency_s())
    return "data:" + key


def _latency_s():
    raw = os.environ.get(FETCH_LATENCY_ENV)
    if raw is None:
        return DEFAULT_FETCH_LATENCY_S
    try:
        latency_s = float(raw)
    except ValueError:
        return DEFAULT_FETCH_LATENCY_S
    return latency_s if latency_s >= 0 else DEFAULT_FETCH_LATENCY_S


def _fetch_from_server(socket_path, key):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(SERVER_TIMEOUT_S)
        try:
            connection.connect(socket_path)
            connection.sendall((json.dumps(key) + "\n").encode("utf-8"))
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = connection.recv(65536)
                if not chunk:
                    break
                reply += chunk
        except OSError as error:
            raise ConnectionError(f"blocking_fetch({key!r}) failed: {error}") from None
    try:
        value = json.loads(reply.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, str):
        raise ConnectionError(f"blocking_fetch({key!r}) got no answer")
    return value
