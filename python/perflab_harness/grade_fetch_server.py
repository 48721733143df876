"""The grader's latency server for `overlap` checks: perflab_exercise.blocking_fetch(key)
in a worker connects to its unix socket, and each request is answered `latency_s` later,
from its own thread, so that however many requests the learner's code has in flight at once
are all served at once. The server counts them.

Wire format (both directions): one JSON string per line. Request: the key; reply:
"data:" + key. A connection may carry several requests, one after the other.
"""

import json
import os
import shutil
import socket
import tempfile
import threading
import time

# Keeps a runaway program (connections in a loop) from exhausting the grader's threads,
# which count against the sandbox's process limit like the workers do.
MAX_CONNECTIONS = 256
MAX_REQUEST_BYTES = 64 * 1024
IDLE_TIMEOUT_S = 60.0
ACCEPT_POLL_S = 0.1


class LatencyServer:
    def __init__(self, latency_s):
        self.latency_s = latency_s
        self._folder = tempfile.mkdtemp()
        self.socket_path = os.path.join(self._folder, "fetch.sock")
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.socket_path)
        # Workers may run as uids of their own (a root grader): they may pass through the
        # folder (not list it) and connect to the socket, whose path only they are told.
        os.chmod(self._folder, 0o711)
        os.chmod(self.socket_path, 0o666)
        self._listener.listen(MAX_CONNECTIONS)
        self._listener.settimeout(ACCEPT_POLL_S)
        self._lock = threading.Lock()
        self._in_flight = 0
        self._max_in_flight = 0
        self._served = 0
        self._connections = 0
        self._stopping = threading.Event()
        self._acceptor = threading.Thread(target=self._accept_loop, name="perflab-fetch-accept", daemon=True)
        self._acceptor.start()

    def reset(self):
        """Starts counting afresh (requests still in flight stay counted as in flight)."""
        with self._lock:
            self._max_in_flight = self._in_flight
            self._served = 0

    def counts(self):
        """(max in flight, served) since the last reset."""
        with self._lock:
            return self._max_in_flight, self._served

    def close(self):
        self._stopping.set()
        self._acceptor.join(timeout=2)
        self._listener.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _accept_loop(self):
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                admitted = self._connections < MAX_CONNECTIONS
                if admitted:
                    self._connections += 1
            if not admitted:
                connection.close()
                continue
            threading.Thread(
                target=self._serve_connection, args=(connection,), name="perflab-fetch", daemon=True
            ).start()

    def _serve_connection(self, connection):
        try:
            connection.settimeout(IDLE_TIMEOUT_S)
            buffer = b""
            while not self._stopping.is_set():
                while b"\n" not in buffer:
                    if len(buffer) > MAX_REQUEST_BYTES:
                        return
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                line, _, buffer = buffer.partition(b"\n")
                try:
                    key = json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    return
                if not isinstance(key, str):
                    return
                self._answer(connection, key)
        except OSError:
            pass  # the client went away or idled out
        finally:
            connection.close()
            with self._lock:
                self._connections -= 1

    def _answer(self, connection, key):
        with self._lock:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
        time.sleep(self.latency_s)
        reply = (json.dumps("data:" + key) + "\n").encode("utf-8")
        # Counted before the reply goes out: once the client has it, the learner's function
        # may return and the grader read the counts at once (and a sequential client's next
        # request must not overlap this one in the count).
        with self._lock:
            self._in_flight -= 1
            self._served += 1
        try:
            connection.sendall(reply)
        except OSError:
            with self._lock:
                self._served -= 1
            raise
