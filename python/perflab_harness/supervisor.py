"""The supervisor: the harness process that keeps the result channel while learner code runs
in a process of its own (the "learner process"), and measures that process from outside.

After "go" and the job's setup, the harness forks. The child becomes the learner process:
it drops privileges, sets PR_SET_PDEATHSIG, applies rlimits, closes every descriptor but 0, 1
and 2, and runs the mode (which runs learner code). The parent, the supervisor, renames
itself `perflab-harness`, is non-dumpable (no ptrace, no /proc/PID/mem, environ or fd for
learner code of the same uid) and, when the sandbox started as root, keeps uid 0 so learner
code cannot signal it. It waits for the learner process with wait4: the exit status and the
kernel's CPU and peak-RSS figures are what the result document reports.

What only the learner process can know (profile tables, line timings, tracemalloc sites,
timeit samples, the exception's description) arrives as a "learner report": after learner
code has finished, the learner process's last atexit handler connects to a unix socket the
supervisor listens on (an abstract name, random per run) and sends one JSON object. It is
untrusted: capped in size, read only from the learner process's pid, shape-checked per mode,
and dropped as a whole when anything is off. No verdict may rest on it.
"""

# The C modules, not `socket`, `signal` and `secrets`: those build enums or load OpenSSL on
# import, tens of milliseconds on a busy machine, paid by every cold run.
import _signal
import _socket
import json
import os
import select
import sys

from perflab_harness.learner_report import check_report

SUPERVISOR_NAME = b"perflab-harness"
# A profile of a big program is a few MB; the host accepts documents up to 128 MB.
MAX_REPORT_BYTES = 64 * 1024 * 1024
# Learner code may connect too; beyond this many connections the rest are refused.
MAX_CONNECTIONS = 8
READ_CHUNK_BYTES = 1 << 20
# Without a pidfd (Linux < 5.3), how often the supervisor looks whether the learner ended.
POLL_FALLBACK_MS = 20


def new_report_address():
    # Abstract unix socket: no file in the learner's /tmp, gone when the supervisor exits.
    return b"\0perflab-report-" + os.urandom(16).hex().encode("ascii")


def waker_address(address):
    return address + b"-wake"


def listen(address):
    """The report socket and its waker (see Supervision), both listening."""
    sockets = []
    for name in (address, waker_address(address)):
        listener = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        listener.bind(name)
        listener.listen(MAX_CONNECTIONS)
        listener.setblocking(False)
        sockets.append(listener)
    return sockets


def send_report(address, data):
    """In the learner process, at its very end. A report that fits in the socket's buffer
    (every run-mode report, most others) is left there without waking the supervisor, which
    sleeps until the process ends: on a busy machine every wake-up is a wait for a CPU. A
    bigger one connects to the waker first, so the supervisor reads while it is sent."""
    channel = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    view = memoryview(data)
    try:
        channel.setblocking(False)
        try:
            channel.connect(address)
            while view:
                view = view[channel.send(view) :]
            return
        except BlockingIOError:
            pass
        waker = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            waker.connect(waker_address(address))
        finally:
            waker.close()
        channel.setblocking(True)
        try:
            channel.connect(address)
        except OSError:
            pass  # connected already (the non-blocking connect went through)
        channel.sendall(view)
    finally:
        channel.close()


def become_supervisor():
    """Called in the parent right after the fork."""
    try:
        comm = os.open("/proc/self/comm", os.O_WRONLY | os.O_CLOEXEC)
        try:
            os.write(comm, SUPERVISOR_NAME)
        finally:
            os.close(comm)
    except OSError:
        pass
    # The host sends SIGUSR1 to every process of a run that timed out; the supervisor's stack
    # says nothing about the program, and the default action would kill it.
    _signal.signal(_signal.SIGUSR1, _signal.SIG_IGN)


class _Connection:
    def __init__(self, sock, peer_pid):
        self.sock = sock
        self.peer_pid = peer_pid
        self.chunks = []
        self.size = 0
        self.complete = False
        self.too_big = False


def _peer_pid(sock):
    try:
        # struct ucred {pid_t pid; uid_t uid; gid_t gid;}: three native 32-bit ints.
        credentials = sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, 12)
        return int.from_bytes(credentials[:4], sys.byteorder, signed=True)
    except OSError:
        return None


class Supervision:
    """Waits for the learner process while collecting its report; returns what the kernel says."""

    def __init__(self, learner_pid, listeners):
        self.learner_pid = learner_pid
        self.listener, self.waker = listeners
        self.connections = {}
        self.total_bytes = 0

    def wait(self):
        """Returns (wait status, rusage) of the learner process.

        Sleeps until the learner process ends, or until something connects to the waker: then
        the report connections waiting to be accepted are accepted and read as data arrives.
        """
        try:
            pidfd = os.pidfd_open(self.learner_pid)
        except (AttributeError, OSError):
            pidfd = None
        poller = select.poll()
        poller.register(self.waker.fileno(), select.POLLIN)
        if pidfd is not None:
            poller.register(pidfd, select.POLLIN)
        try:
            while True:
                if pidfd is None:
                    pid, status, rusage = os.wait4(self.learner_pid, os.WNOHANG)
                    if pid != 0:
                        break
                    events = poller.poll(POLL_FALLBACK_MS)
                else:
                    events = poller.poll()
                ended = False
                for fd, _ in events:
                    if fd == pidfd:
                        ended = True
                    elif fd == self.waker.fileno():
                        self._dismiss_wakers()
                        self._accept(poller)
                    else:
                        self._read(fd, poller)
                if ended:
                    _, status, rusage = os.wait4(self.learner_pid, 0)
                    break
        finally:
            if pidfd is not None:
                os.close(pidfd)
        # Whatever the learner process sent before it ended is in the socket buffers now.
        self._accept(None)
        for fd in list(self.connections):
            self._read(fd, None, drain=True)
        self.listener.close()
        self.waker.close()
        return status, rusage

    def _dismiss_wakers(self):
        while True:
            try:
                fd, _ = self.waker._accept()
            except OSError:  # BlockingIOError: no more
                return
            os.close(fd)

    def _accept(self, poller):
        while True:
            try:
                fd, _ = self.listener._accept()
            except OSError:  # BlockingIOError: nobody else is waiting
                return
            sock = _socket.socket(fileno=fd)
            if len(self.connections) >= MAX_CONNECTIONS:
                sock.close()
                continue
            sock.setblocking(False)
            self.connections[sock.fileno()] = _Connection(sock, _peer_pid(sock))
            if poller is not None:
                poller.register(sock.fileno(), select.POLLIN)

    def _read(self, fd, poller, drain=False):
        connection = self.connections.get(fd)
        if connection is None or connection.complete:
            return
        while True:
            try:
                chunk = connection.sock.recv(READ_CHUNK_BYTES)
            except (BlockingIOError, InterruptedError):
                if drain:
                    self._drop(fd, poller)  # still open after the learner ended: incomplete
                return
            except OSError:
                self._drop(fd, poller)
                return
            if not chunk:
                connection.complete = True
                connection.sock.close()
                if poller is not None:
                    poller.unregister(fd)
                return
            connection.size += len(chunk)
            self.total_bytes += len(chunk)
            if connection.size > MAX_REPORT_BYTES or self.total_bytes > 2 * MAX_REPORT_BYTES:
                connection.too_big = True
                self._drop(fd, poller)
                return
            connection.chunks.append(chunk)
            if not drain:
                return

    def _drop(self, fd, poller):
        connection = self.connections.get(fd)
        if connection is None:
            return
        connection.chunks = []
        connection.sock.close()
        if poller is not None:
            try:
                poller.unregister(fd)
            except KeyError:
                pass

    def report(self, mode):
        """(report dict or None, status): the last complete report the learner process sent."""
        candidates = [
            c for c in self.connections.values() if c.peer_pid == self.learner_pid and (c.complete or c.too_big)
        ]
        if not candidates:
            return None, "missing"
        last = candidates[-1]
        if last.too_big:
            return None, "rejected"
        try:
            raw = json.loads(b"".join(last.chunks).decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None, "rejected"
        checked = check_report(raw, mode)
        return (checked, "received") if checked is not None else (None, "rejected")


def kernel_fields(status, rusage):
    """The common fields only the kernel's figures fill in."""
    if os.WIFSIGNALED(status):
        exit_code = None
        signal_number = os.WTERMSIG(status)
        import signal  # only for a learner process that died of a signal

        try:
            signal_name = signal.Signals(signal_number).name
        except ValueError:
            signal_name = f"signal {signal_number}"
    else:
        exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1
        signal_number = None
        signal_name = None
    fields = {
        "exitCode": exit_code,
        "signal": signal_name,
        # Linux: the largest of the learner process and every descendant it waited for.
        "selfMaxRssKb": rusage.ru_maxrss,
        "childrenMaxRssKb": 0,
        "cpuUserMs": round(rusage.ru_utime * 1000, 3),
        "cpuSystemMs": round(rusage.ru_stime * 1000, 3),
    }
    return fields, signal_number


def end_like(exit_code, signal_number):
    """The supervisor ends the way the learner process did: same status, or same signal."""
    if signal_number is not None:
        try:
            _signal.signal(signal_number, _signal.SIG_DFL)
        except (OSError, ValueError):
            pass  # SIGKILL and SIGSTOP have no handler to reset
        try:
            os.kill(os.getpid(), signal_number)
        except OSError:
            pass
        os._exit(128 + signal_number)
    os._exit(exit_code & 0xFF)
