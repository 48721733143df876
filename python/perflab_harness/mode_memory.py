"""memory: tracemalloc over the program: the peak, where the memory was at the peak and at
the end, and which kinds of objects the module's globals keep alive at exit.

tracemalloc records the exact peak, but not where the memory was at that moment. A watcher
thread polls the traced total every few ms; when it reaches a new high more than 5% above
the last snapshot's, the watcher signals the main thread, whose handler takes a snapshot.
The last such snapshot is the one "near the peak", and the document says how much was traced
when it was taken (peakSitesTracedBytes) so a reader can tell how near.

A snapshot costs about as much as building the heap it walks (every trace becomes a traced
tuple), so small new highs wait for a pause after the last snapshot. A heap that has grown
by half since the last snapshot is snapshotted at once: without that, a list built and
dropped within one pause was reported at a third of its size. Those forced snapshots form a
geometric series, so together they cost at most about three snapshots of the peak heap.

Why the main thread: a snapshot allocates Python objects itself (as big as the program's
own heap when that is made of many small objects), traced like everything else. So the peak
is read just before the snapshot and reset just after it. That is only right if the program
allocates nothing in between, which holds when the snapshot runs in the main thread's
signal handler (the program is paused there) but not from a concurrent watcher thread,
where the program keeps running and a peak reached during the snapshot would be erased. For
a program whose own threads allocate, the same can still happen; the peak sites then stay
approximate. A real signal (not just a flag) is used so that a main thread blocked in
join(), sleep() or a lock wakes up to take the snapshot.
"""

import _thread
import gc
import linecache
import signal
import sys
import time
import tracemalloc

from perflab_harness.paths import HARNESS_DIR
from perflab_harness.program import run_entry

POLL_INTERVAL_S = 0.003
NEW_HIGH_FACTOR = 1.05
# A new high this many times the last snapshot's is snapshotted without waiting for the pause.
FORCED_HIGH_FACTOR = 1.5
# Tiny programs would otherwise snapshot at every few kB of growth.
MIN_NEW_HIGH_GROWTH_BYTES = 256 * 1024
# A snapshot of a big heap takes a while; the next one waits this many times as long as the
# last one took, so snapshots cost the program at most about a third of its time.
SNAPSHOT_PAUSE_FACTOR = 2.0
# Programs hardly ever use the highest real-time signal; the harness borrows it.
SNAPSHOT_SIGNAL = signal.SIGRTMAX
SNAPSHOT_RESEND_S = 0.01
# Walking what the globals keep alive is capped so that a huge heap cannot stall the exit.
MAX_OBJECTS_VISITED = 2_000_000
MAX_CENSUS_S = 5.0

# Not followed when walking from the globals: following modules, classes or functions
# would wander into the whole interpreter rather than the program's data.
_OPAQUE_TYPES = (
    type(sys),
    type,
    type(len),
    type(lambda: None),
    type((lambda: None).__code__),
    type(sys._getframe()),
    type(print.__call__),
    type(str.join),
)


def empty_fields():
    return {"peakBytes": 0, "finalBytes": 0, "peakSites": [], "finalSites": [], "types": []}


class PeakWatcher:
    """Polls the traced total from a raw thread (invisible to threading.enumerate(), so the
    program's thread counts are unchanged) and has the main thread snapshot new highs."""

    def __init__(self, top_sites):
        self.top_sites = top_sites
        self.peak_bytes = 0
        self.last_snapshot_bytes = 0
        self.peak_sites = None
        self._main_thread_ident = None
        self._snapshot_pending = False
        self._snapshot_running = False
        self._requested_s = 0.0
        self._next_snapshot_s = 0.0
        self._stop_requested = False
        self._finished = _thread.allocate_lock()

    def start(self):
        """Called in the main thread."""
        self._main_thread_ident = _thread.get_ident()
        signal.signal(SNAPSHOT_SIGNAL, self._on_snapshot_signal)
        self._finished.acquire()
        _thread.start_new_thread(self._poll, ())

    def stop(self):
        self._stop_requested = True
        with self._finished:
            pass

    def _poll(self):
        try:
            while not self._stop_requested and tracemalloc.is_tracing():
                now_s = time.monotonic()
                if self._snapshot_pending:
                    # A signal that lands just before the main thread starts blocking (say in
                    # join()) wakes nothing, so an unanswered request is sent again.
                    if not self._snapshot_running and now_s - self._requested_s > SNAPSHOT_RESEND_S:
                        self._request_snapshot(now_s)
                else:
                    current_bytes, _ = tracemalloc.get_traced_memory()
                    if self._is_new_high(current_bytes) and (
                        now_s >= self._next_snapshot_s or self._is_forced_high(current_bytes)
                    ):
                        self._snapshot_pending = True
                        self._request_snapshot(now_s)
                time.sleep(POLL_INTERVAL_S)
        except Exception:  # noqa: BLE001 - the watcher must never disturb the program
            pass
        finally:
            self._finished.release()

    def _request_snapshot(self, now_s):
        self._requested_s = now_s
        signal.pthread_kill(self._main_thread_ident, SNAPSHOT_SIGNAL)

    def _is_new_high(self, current_bytes):
        last_bytes = self.last_snapshot_bytes
        return current_bytes > last_bytes * NEW_HIGH_FACTOR and current_bytes - last_bytes > MIN_NEW_HIGH_GROWTH_BYTES

    def _is_forced_high(self, current_bytes):
        return current_bytes > self.last_snapshot_bytes * FORCED_HIGH_FACTOR

    def _on_snapshot_signal(self, signum, frame):
        # Runs in the main thread between two bytecodes of the program: never raise. A
        # repeated request may interrupt the handler itself: the snapshot is already under way.
        if self._snapshot_running:
            return
        self._snapshot_running = True
        try:
            if tracemalloc.is_tracing() and not self._stop_requested:
                started_s = time.monotonic()
                self.snapshot_now()
                finished_s = time.monotonic()
                self._next_snapshot_s = finished_s + (finished_s - started_s) * SNAPSHOT_PAUSE_FACTOR
        except Exception:  # noqa: BLE001
            pass
        finally:
            self._snapshot_pending = False
            self._snapshot_running = False

    def record_peak(self):
        _, peak_bytes = tracemalloc.get_traced_memory()
        self.peak_bytes = max(self.peak_bytes, peak_bytes)

    def snapshot_now(self):
        self.record_peak()
        current_bytes, _ = tracemalloc.get_traced_memory()
        # Source lines are looked up at the end: reading files here would be slow and traced.
        sites = raw_top_sites(self.top_sites)
        self.last_snapshot_bytes = current_bytes
        self.peak_sites = sites
        tracemalloc.reset_peak()


def raw_top_sites(limit):
    """[(filename, line, size_bytes, count)] of the biggest sites, the harness's left out.

    Grouped straight from tracemalloc's raw traces: Snapshot.filter_traces() and
    statistics() cost about 10 µs per trace, seconds for a heap of many small objects.
    Filtering after grouping looks at each distinct site once instead of every trace.
    """
    totals = {}
    for trace in tracemalloc._get_traces():
        frames = trace[2]  # (domain, size, frames, total_nframe); frames most recent first
        site = frames[0] if frames else _UNKNOWN_SITE
        size_bytes, count = totals.get(site, (0, 0))
        totals[site] = (size_bytes + trace[1], count + 1)
    ranked = sorted(
        (
            (filename, line, size_bytes, count)
            for (filename, line), (size_bytes, count) in totals.items()
            if not _is_own_file(filename)
        ),
        key=lambda site: site[2],
        reverse=True,
    )
    return ranked[:limit]


_UNKNOWN_SITE = ("<unknown>", 0)


def _is_own_file(filename):
    return filename in _OWN_FILES or filename.startswith(HARNESS_DIR + "/")


_OWN_FILES = frozenset({tracemalloc.__file__, linecache.__file__})


def site_documents(raw_sites, locator):
    return [
        {
            "file": locator.display_path(filename),
            "line": line,
            "origin": locator.origin(filename),
            "sizeBytes": size_bytes,
            "count": count,
            "source": linecache.getline(filename, line).strip(),
        }
        for filename, line, size_bytes, count in raw_sites
    ]


def run(context):
    job = context.job
    watcher = PeakWatcher(job.memory_top_sites)

    def start():
        tracemalloc.start(1)
        watcher.start()

    outcome = run_entry(context.entry_path, context.locator, start=start)
    # Measured at exit, after the program's threads and atexit handlers, like its real end.
    context.run.finishers.append(lambda: _report(context, watcher, outcome.module_globals))
    return outcome


def _report(context, watcher, module_globals):
    watcher.stop()
    if not tracemalloc.is_tracing():
        return  # the program stopped tracemalloc itself: nothing trustworthy to report
    watcher.record_peak()
    final_bytes, _ = tracemalloc.get_traced_memory()
    final_sites = raw_top_sites(context.job.memory_top_sites)
    tracemalloc.stop()
    # A program that finished between two polls has its peak at the end, or nowhere seen.
    peak_seen = watcher.peak_sites is not None and watcher.last_snapshot_bytes > final_bytes
    peak_sites = watcher.peak_sites if peak_seen else final_sites
    context.run.mode_fields = {
        "peakBytes": max(watcher.peak_bytes, final_bytes),
        "finalBytes": final_bytes,
        "peakSites": site_documents(peak_sites, context.locator),
        "peakSitesTracedBytes": watcher.last_snapshot_bytes if peak_seen else final_bytes,
        "finalSites": site_documents(final_sites, context.locator),
        "types": types_alive(module_globals, context.job.memory_top_types),
    }


def _type_name(cls):
    module = getattr(cls, "__module__", None)
    if module in (None, "builtins"):
        return cls.__qualname__
    return f"{module}.{cls.__qualname__}"


def types_alive(module_globals, limit):
    """Count and total sys.getsizeof of the objects reachable from the module's globals,
    by type, biggest total first."""
    if not module_globals or limit == 0:
        return []
    deadline_s = time.monotonic() + MAX_CENSUS_S
    seen = set()
    totals = {}
    pending = [value for name, value in module_globals.items() if name != "__builtins__"]
    seen.add(id(module_globals))
    gc_was_enabled = gc.isenabled()
    gc.disable()  # objects must not be freed and their ids reused mid-walk
    try:
        while pending and len(seen) < MAX_OBJECTS_VISITED:
            if len(seen) % 10_000 == 0 and time.monotonic() > deadline_s:
                break
            obj = pending.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if isinstance(obj, _OPAQUE_TYPES):
                continue
            try:
                size_bytes = sys.getsizeof(obj)
            except Exception:  # noqa: BLE001 - a learner __sizeof__ may raise
                size_bytes = 0
            cls = type(obj)
            count, total_bytes = totals.get(cls, (0, 0))
            totals[cls] = (count + 1, total_bytes + size_bytes)
            pending.extend(gc.get_referents(obj))
    finally:
        if gc_was_enabled:
            gc.enable()
    ranked = sorted(totals.items(), key=lambda item: item[1][1], reverse=True)[:limit]
    return [{"type": _type_name(cls), "count": count, "sizeBytes": size_bytes} for cls, (count, size_bytes) in ranked]
