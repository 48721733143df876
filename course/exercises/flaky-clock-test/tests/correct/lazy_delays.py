"""A correct retry.py written differently from the reference: the delays come from a lazy
generator, the loop counts the calls that are left, and the ceiling is chosen with a
conditional."""
import itertools
import random
import time

RETRYABLE = (ConnectionError, TimeoutError)


def backoff_delay(failures: int, base_s: float, cap_s: float) -> float:
    """A random time between 0 and min(cap_s, base_s * 2 ** (failures - 1)), uniformly."""
    uncapped = base_s * 2 ** (failures - 1)
    ceiling = cap_s if uncapped > cap_s else uncapped
    return random.uniform(0.0, ceiling)


def call_with_retries(operation, *, attempts=5, base_s=0.1, cap_s=2.0, deadline_s=None):
    """Call operation() until it returns; see the reference retry.py for the contract."""
    started = time.monotonic()
    delays = (backoff_delay(failures, base_s, cap_s) for failures in itertools.count(1))
    for calls_left in reversed(range(max(attempts, 1))):
        try:
            return operation()
        except RETRYABLE:
            if calls_left == 0:
                raise
            delay = next(delays)
            if deadline_s is not None and time.monotonic() - started + delay > deadline_s:
                raise
            time.sleep(delay)
    raise AssertionError("unreachable: the last call returns or raises")
