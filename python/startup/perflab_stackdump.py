"""Builds and sends one perflab.stacks/1 document: every thread's Python stack, outermost
frame first. Loaded by sitecustomize's SIGUSR1 handler the first time the signal arrives.

Runs inside a signal handler in a program that may be in any state, even holding locks of
the threading module, so it reads threading's registry without taking its lock.
"""

import json
import linecache
import os
import socket
import sys

SEND_TIMEOUT_S = 2.0
MAX_FRAMES_PER_THREAD = 200

_STARTUP_DIR = os.path.dirname(os.path.abspath(__file__))
# This repository's python/ folder: the harness package's frames are not the program's.
_HARNESS_DIR = os.path.join(os.path.dirname(_STARTUP_DIR), "perflab_harness")
_HIDDEN_FILES = frozenset({"<frozen runpy>", __file__, os.path.join(_STARTUP_DIR, "sitecustomize.py")})


def _is_hidden(filename):
    return (
        filename in _HIDDEN_FILES
        or filename.startswith(_HARNESS_DIR + os.sep)
        or filename.startswith(_STARTUP_DIR + os.sep)
    )


def _display_path(filename, work_dir):
    if filename.startswith(work_dir + os.sep):
        return filename[len(work_dir) + 1 :]
    return filename


def _frames_outermost_first(frame, work_dir):
    frames = []
    while frame is not None:
        code = frame.f_code
        filename = code.co_filename
        if not _is_hidden(filename):
            line = frame.f_lineno
            source = linecache.getline(filename, line).strip() if line else ""
            frames.append(
                {
                    "file": _display_path(filename, work_dir),
                    "line": line,
                    "function": getattr(code, "co_qualname", code.co_name),
                    "code": source or None,
                }
            )
        frame = frame.f_back
    frames.reverse()
    # Keep the outermost frames (where the program is) and the innermost (what it is
    # doing) when a deep recursion would make the document huge.
    if len(frames) > MAX_FRAMES_PER_THREAD:
        half = MAX_FRAMES_PER_THREAD // 2
        frames = frames[:half] + frames[-half:]
    return frames


def build_stack_document():
    import _thread

    work_dir = os.path.abspath(os.environ.get("PERFLAB_WORK_DIR", "/work"))
    threading_module = sys.modules.get("threading")
    known_threads = {}
    main_ident = _thread.get_ident()  # signal handlers run in the main thread
    if threading_module is not None:
        # A copy of the registry dict, not enumerate(): that takes a lock the interrupted
        # code might be holding.
        known_threads = dict(getattr(threading_module, "_active", {}))
        main_thread = getattr(threading_module, "_main_thread", None)
        if main_thread is not None and main_thread.ident is not None:
            main_ident = main_thread.ident
    threads = []
    for ident, frame in sys._current_frames().items():
        frames = _frames_outermost_first(frame, work_dir)
        thread = known_threads.get(ident)
        if thread is None and not frames:
            continue  # a harness-internal helper thread (e.g. the memory watcher)
        threads.append(
            {
                "name": thread.name
                if thread is not None
                else ("MainThread" if ident == main_ident else f"thread-{ident}"),
                "ident": ident,
                "daemon": bool(thread.daemon) if thread is not None else False,
                "isMain": ident == main_ident,
                "frames": frames,
            }
        )
    threads.sort(key=lambda thread: not thread["isMain"])
    return {
        "schema": "perflab.stacks/1",
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "argv": [str(arg) for arg in getattr(sys, "argv", [])],
        "threads": threads,
    }


def send_stack_dump():
    socket_path = os.environ.get("PERFLAB_DIAG_SOCKET")
    if not socket_path:
        return
    payload = json.dumps(build_stack_document()).encode("utf-8")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(SEND_TIMEOUT_S)
        connection.connect(socket_path)
        connection.sendall(payload)
