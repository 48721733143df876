"""A correct retry.py written differently from the reference: the error is kept and
re-raised after the handler, the ceiling comes from math.ldexp, and the deadline is checked
against the time that is left."""
import math
import random
import time

RETRYABLE = (ConnectionError, TimeoutError)


def backoff_delay(failures: int, base_s: float, cap_s: float) -> float:
    """A random time between 0 and min(cap_s, base_s * 2 ** (failures - 1)), uniformly."""
    return random.uniform(0, min(cap_s, math.ldexp(base_s, failures - 1)))


def call_with_retries(operation, *, attempts=5, base_s=0.1, cap_s=2.0, deadline_s=None):
    """Call operation() until it returns; see the reference retry.py for the contract."""
    started = time.monotonic()
    failures = 0
    while True:
        try:
            result = operation()
        except RETRYABLE as error:
            failures += 1
            last_error = error
        else:
            return result
        if failures >= attempts:
            raise last_error
        delay = backoff_delay(failures, base_s, cap_s)
        if deadline_s is not None:
            time_left_s = deadline_s - (time.monotonic() - started)
            if delay > time_left_s:
                raise last_error
        time.sleep(delay)
