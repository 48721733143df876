"""The same CPU-bound work three ways: in one loop, on 2 threads, on 2 processes."""

import multiprocessing
import queue
import threading

SEEDS = range(4)
WORKERS = 2


def checksum(seed):
    h = seed
    for i in range(400_000):
        h = (h * 31 + i) % 1_000_003
    return h


def work(seeds, results):
    results.put([checksum(s) for s in seeds])


def run_split(make_worker, results):
    """Splits SEEDS over WORKERS workers; each sends its list of checksums back."""
    workers = [make_worker(target=work, args=(SEEDS[i::WORKERS], results)) for i in range(WORKERS)]
    for worker in workers:
        worker.start()
    parts = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    return sorted(h for part in parts for h in part)


def serial():
    return sorted(checksum(s) for s in SEEDS)


def threads():
    return run_split(threading.Thread, queue.SimpleQueue())


def processes():
    # fork: the child starts as a copy, so `work` is not pickled (perflab imports this file
    # under a module name that a spawned child could not import again).
    context = multiprocessing.get_context("fork")
    return run_split(context.Process, context.SimpleQueue())


if __name__ == "__main__":
    assert serial() == threads() == processes()
    print("serial, threads and processes agree")
