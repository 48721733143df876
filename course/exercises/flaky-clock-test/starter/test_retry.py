"""Tests for retry.py."""
import time

import pytest

import retry


class Flaky:
    """An operation that fails `failures` times with `error`, then returns "ok"."""

    def __init__(self, failures, error=ConnectionError):
        self.failures = failures
        self.error = error
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error(f"failure {self.calls}")
        return "ok"


def test_returns_the_result_after_failures():
    operation = Flaky(2)
    assert retry.call_with_retries(operation, base_s=0.05) == "ok"
    assert operation.calls == 3


def test_gives_up_after_the_last_attempt():
    operation = Flaky(10)
    with pytest.raises(ConnectionError):
        retry.call_with_retries(operation, attempts=3, base_s=0.05)
    assert operation.calls == 3


def test_other_errors_are_not_retried():
    operation = Flaky(1, error=ValueError)
    with pytest.raises(ValueError):
        retry.call_with_retries(operation)
    assert operation.calls == 1


def test_delays_never_exceed_the_cap():
    for _ in range(20):
        assert 0 <= retry.backoff_delay(6, base_s=0.1, cap_s=1.0) <= 1.0


def test_later_failures_wait_longer():
    assert retry.backoff_delay(3, base_s=0.1, cap_s=10.0) > retry.backoff_delay(1, base_s=0.1, cap_s=10.0)


def test_waits_between_attempts():
    operation = Flaky(2)
    started = time.monotonic()
    retry.call_with_retries(operation, base_s=0.1)
    elapsed = time.monotonic() - started
    assert 0.01 < elapsed < 0.5  # two sleeps: up to 0.1 s, then up to 0.2 s (and some slack)


def test_gives_up_at_the_deadline():
    operation = Flaky(1000)
    started = time.monotonic()
    with pytest.raises(ConnectionError):
        retry.call_with_retries(operation, attempts=1000, base_s=0.05, cap_s=0.1, deadline_s=0.3)
    assert time.monotonic() - started <= 0.32  # a little slack for a busy machine
    assert operation.calls > 2
