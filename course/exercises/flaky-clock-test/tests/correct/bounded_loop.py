"""A correct retry.py written differently from the reference: a bounded for loop over the
attempts, an absolute deadline, and a ceiling doubled step by step. The learner's tests must
pass on it too: they may test what retry.py promises, not how the reference is written."""
import random
import time

RETRYABLE = (ConnectionError, TimeoutError)


def backoff_delay(failures: int, base_s: float, cap_s: float) -> float:
    """A random time between 0 and min(cap_s, base_s * 2 ** (failures - 1)), uniformly."""
    ceiling = base_s
    for _ in range(failures - 1):
        if ceiling >= cap_s:
            break
        ceiling *= 2
    return random.uniform(0, min(ceiling, cap_s))


def call_with_retries(operation, *, attempts=5, base_s=0.1, cap_s=2.0, deadline_s=None):
    """Call operation() until it returns; see the reference retry.py for the contract."""
    give_up_at = None if deadline_s is None else time.monotonic() + deadline_s
    last_attempt = max(attempts, 1)
    for attempt in range(1, last_attempt + 1):
        try:
            return operation()
        except RETRYABLE:
            if attempt == last_attempt:
                raise
            delay = backoff_delay(attempt, base_s, cap_s)
            if give_up_at is not None and time.monotonic() + delay > give_up_at:
                raise
            time.sleep(delay)
    raise AssertionError("unreachable: the last attempt returns or raises")
