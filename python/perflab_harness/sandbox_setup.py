"""Everything done before learner code runs: claiming the result pipe, copying the job's
files into the work dir, dropping privileges and applying resource limits."""

import fcntl
import os
import resource
import stat

RESULT_FD_ENV = "PERFLAB_RESULT_FD"

# Learner code tends to use low descriptors (dup2 onto 3, closerange(3, 64), ...); parking
# the result pipe up here keeps it out of the way.
HIGH_FD_FLOOR = 1000

COPY_CHUNK_BYTES = 1 << 20


class SetupFailure(Exception):
    """The harness cannot start the program; `kind` is the protocol's setupError kind."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def park_high_fd(fd):
    """Moves `fd` to a high descriptor that exec'd children do not inherit; returns it."""
    soft_limit, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    floor = HIGH_FD_FLOOR if soft_limit == resource.RLIM_INFINITY else min(HIGH_FD_FLOOR, soft_limit - 1)
    try:
        parked = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, max(floor, 3))
    except OSError:
        parked = os.dup(fd)  # os.dup's copy is non-inheritable too
    os.close(fd)
    return parked


def claim_result_fd():
    """The result pipe from PERFLAB_RESULT_FD, parked high; None when the variable is unset.

    The variable is removed so that the program's own Python children never mistake
    themselves for the harness.
    """
    raw = os.environ.pop(RESULT_FD_ENV, None)
    if raw is None:
        return None
    try:
        fd = int(raw)
        os.fstat(fd)
    except (ValueError, OSError):
        return None
    return park_high_fd(fd)


def copy_input_tree(source_dir, target_dir, owner=None):
    """Copies regular files and directories only: symlinks (which could point anywhere on
    the host), devices, fifos and sockets are skipped, and nothing is ever followed."""
    with os.scandir(source_dir) as entries:
        for entry in entries:
            target = os.path.join(target_dir, entry.name)
            if entry.is_dir(follow_symlinks=False):
                mode = stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode) | 0o700
                os.makedirs(target, mode=mode, exist_ok=True)
                copy_input_tree(entry.path, target, owner)
            elif entry.is_file(follow_symlinks=False):
                _copy_regular_file(entry.path, target)
            else:
                continue
            if owner is not None:
                os.lchown(target, *owner)


def _copy_regular_file(source, target):
    source_fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        source_stat = os.fstat(source_fd)
        if not stat.S_ISREG(source_stat.st_mode):
            return  # replaced by something else since the scan
        # Input files may be read-only; the learner owns the copies and may rewrite them.
        mode = stat.S_IMODE(source_stat.st_mode) | 0o600
        target_fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
        try:
            while True:
                chunk = os.read(source_fd, COPY_CHUNK_BYTES)
                if not chunk:
                    break
                view = memoryview(chunk)
                while view:
                    view = view[os.write(target_fd, view) :]
        finally:
            os.close(target_fd)
        os.utime(target, ns=(source_stat.st_atime_ns, source_stat.st_mtime_ns), follow_symlinks=False)
    finally:
        os.close(source_fd)


def prepare_work_dir(input_dir, work_dir, owner=None):
    try:
        os.makedirs(work_dir, exist_ok=True)
        if os.path.isdir(input_dir):
            copy_input_tree(input_dir, work_dir, owner)
        if owner is not None:
            os.chown(work_dir, *owner)
    except OSError as error:
        raise SetupFailure("harness", f"cannot copy the job's files into {work_dir}: {error}") from None


def drop_privileges(uid, gid):
    try:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    except OSError as error:
        raise SetupFailure("harness", f"cannot drop privileges to uid {uid} gid {gid}: {error}") from None


_RLIMIT_RESOURCES = {
    "nproc": resource.RLIMIT_NPROC,
    "fileSizeBytes": resource.RLIMIT_FSIZE,
    "openFiles": resource.RLIMIT_NOFILE,
    "cpuSeconds": resource.RLIMIT_CPU,
    "addressSpaceBytes": resource.RLIMIT_AS,
}


def apply_rlimits(rlimits):
    """Applies the job's limits as hard limits so the program cannot raise them again.

    Fails closed: a limit the host asked for but that cannot be set stops the job.
    """
    requests = [(resource.RLIMIT_CORE, 0, "core")]
    requests += [(_RLIMIT_RESOURCES[name], value, name) for name, value in rlimits.items() if value is not None]
    for which, value, name in requests:
        _, current_hard = resource.getrlimit(which)
        hard = value if current_hard == resource.RLIM_INFINITY else min(value, current_hard)
        soft = hard
        if which == resource.RLIMIT_CPU and (current_hard == resource.RLIM_INFINITY or hard < current_hard):
            # SIGXCPU at the soft limit says why the program stopped; the hard limit a
            # second later is a SIGKILL for programs that ignore SIGXCPU.
            hard += 1
        try:
            resource.setrlimit(which, (soft, hard))
        except (OSError, ValueError) as error:
            raise SetupFailure("harness", f"cannot apply rlimit {name}={value}: {error}") from None


# -- process controls the harness needs (prctl has no binding in the os module) ---------------

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4

_libc = None


def _load_libc():
    global _libc
    if _libc is None:
        import ctypes  # ~3 ms to import: loaded only by the processes that need it

        _libc = (ctypes, ctypes.CDLL(None, use_errno=True))
    return _libc


def preload_prctl():
    """Loads ctypes and libc now (a warm sandbox does it while it waits for its job)."""
    try:
        _load_libc()
    except OSError:
        pass


def prctl(option, value):
    """prctl(option, value) through libc; raises OSError when the kernel refuses."""
    ctypes, libc = _load_libc()
    if libc.prctl(option, value, 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl({option}) failed: {os.strerror(errno)}")


def close_inherited_fds():
    """Closes every descriptor above 2: nothing the harness (or whatever started the sandbox)
    held reaches learner code. One close_range(2) call on Linux 5.9+."""
    _, hard_limit = resource.getrlimit(resource.RLIMIT_NOFILE)
    high = 1 << 20 if hard_limit == resource.RLIM_INFINITY or hard_limit > 1 << 20 else hard_limit
    os.closerange(3, max(high, HIGH_FD_FLOOR + 1))


def scrub_initial_environment():
    """Rewrites the process's initial environment block, which /proc/self/environ shows even
    after variables left os.environ, to hold only the variables still set, NUL-padded.

    libc's `environ` entries point into that block until replaced: each is first copied to
    the heap (setenv allocates), so nothing reads the block afterwards. Best effort: on any
    surprise the block is left as it is.
    """
    try:
        with open("/proc/self/stat", "rb") as stat_file:
            fields = stat_file.read().rsplit(b")", 1)[1].split()
        # Fields 50 and 51 of proc(5): env_start, env_end; fields[0] is field 3.
        env_start, env_end = int(fields[47]), int(fields[48])
        ctypes, libc = _load_libc()
        environ = ctypes.POINTER(ctypes.c_char_p).in_dll(libc, "environ")
        entries = []
        index = 0
        while environ[index] is not None:
            entries.append(environ[index])
            index += 1
        for entry in entries:
            name, separator, value = entry.partition(b"=")
            if separator and name:
                os.putenv(name, value)
        kept = b"".join(entry + b"\0" for entry in entries if b"=" in entry)
        size = env_end - env_start
        if size <= 0 or len(kept) > size:
            return
        ctypes.memmove(env_start, kept + b"\0" * (size - len(kept)), size)
    except (OSError, ValueError, IndexError, AttributeError):
        pass
