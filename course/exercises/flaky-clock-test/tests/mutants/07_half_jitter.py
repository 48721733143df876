"""Retries for calls to flaky services: exponential backoff with full jitter, and a deadline.

Read-only in this exercise: it is the code under test, and it is correct.

    call_with_retries(lambda: client.get("/stock"), attempts=5, base_s=0.1, cap_s=2.0, deadline_s=3.0)
"""
import random
import time

# Errors that mean "the service may answer if you try again". Anything else is a bug or a
# refusal, and retrying would only repeat it.
RETRYABLE = (ConnectionError, TimeoutError)


def backoff_delay(failures: int, base_s: float, cap_s: float) -> float:
    """How long to wait after `failures` failed calls in a row (1 after the first).

    A random time between 0 and min(cap_s, base_s * 2 ** (failures - 1)), uniformly: the
    ceiling doubles with every failure up to cap_s, and the randomness ("full jitter")
    spreads out many clients that failed at the same moment.
    """
    ceiling = min(cap_s, base_s * 2 ** (failures - 1))
    return random.uniform(ceiling / 2, ceiling)


def call_with_retries(operation, *, attempts=5, base_s=0.1, cap_s=2.0, deadline_s=None):
    """Call operation() until it returns, and return its result.

    - ConnectionError and TimeoutError are retried; any other exception propagates at once.
    - At most `attempts` calls. After a failed call that is not the last one, sleep
      (time.sleep) for backoff_delay(failures so far, base_s, cap_s).
    - deadline_s (optional): the whole thing must be over within deadline_s seconds of the
      first call, measured with time.monotonic(). When the next sleep would end after the
      deadline, give up at once instead of sleeping.
    - Giving up re-raises the last error.
    """
    started = time.monotonic()
    failures = 0
    while True:
        try:
            return operation()
        except RETRYABLE:
            failures += 1
            if failures >= attempts:
                raise
            delay = backoff_delay(failures, base_s, cap_s)
            if deadline_s is not None and time.monotonic() - started + delay > deadline_s:
                raise
            time.sleep(delay)
