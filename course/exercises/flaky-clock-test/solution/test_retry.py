"""Tests for retry.py.

No real time and no real randomness: retry.py looks up `time` and `random` in its own
namespace when it runs, so each test replaces those two names there with fakes it controls.
Sleeping then takes no time, the clock moves only when the code sleeps, and every "random"
delay is known in advance — so each test is fast, gives the same answer on every run, and
can assert exact numbers.
"""
import pytest

import retry


class FakeTime:
    """Stands in for the time module: monotonic() reads a fake clock, sleep() records the
    delay and moves the clock forward at once."""

    def __init__(self):
        self.now = 1_000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class FakeRandom:
    """Stands in for the random module: uniform(low, high) records its bounds and returns
    the point `fraction` of the way from low to high (1.0: always the longest delay)."""

    def __init__(self, fraction=1.0):
        self.fraction = fraction
        self.bounds = []

    def uniform(self, low, high):
        self.bounds.append((low, high))
        return low + (high - low) * self.fraction


@pytest.fixture
def clock(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(retry, "time", fake)
    return fake


@pytest.fixture
def jitter(monkeypatch):
    fake = FakeRandom()
    monkeypatch.setattr(retry, "random", fake)
    return fake


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


def test_delay_ceiling_doubles_from_base_up_to_the_cap(jitter):
    delays = [retry.backoff_delay(failures, base_s=0.1, cap_s=1.0) for failures in range(1, 7)]
    assert delays == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.0, 1.0])
    assert all(low == 0 for low, high in jitter.bounds)


@pytest.mark.parametrize("fraction", [0.0, 0.25, 0.999])
def test_delay_is_the_drawn_point_between_zero_and_the_ceiling(monkeypatch, fraction):
    monkeypatch.setattr(retry, "random", FakeRandom(fraction))
    assert retry.backoff_delay(3, base_s=0.1, cap_s=10.0) == pytest.approx(0.4 * fraction)


def test_returns_the_result_after_failures(clock, jitter):
    operation = Flaky(2)
    assert retry.call_with_retries(operation, base_s=0.1) == "ok"
    assert operation.calls == 3
    assert clock.sleeps == pytest.approx([0.1, 0.2])


def test_success_at_once_never_sleeps(clock, jitter):
    assert retry.call_with_retries(Flaky(0)) == "ok"
    assert clock.sleeps == []


def test_gives_up_after_the_last_attempt_without_a_last_sleep(clock, jitter):
    operation = Flaky(10)
    with pytest.raises(ConnectionError, match="failure 3"):
        retry.call_with_retries(operation, attempts=3, base_s=0.1)
    assert operation.calls == 3
    assert clock.sleeps == pytest.approx([0.1, 0.2])


def test_timeouts_are_retried_too(clock, jitter):
    operation = Flaky(1, error=TimeoutError)
    assert retry.call_with_retries(operation) == "ok"
    assert operation.calls == 2


def test_other_errors_are_not_retried(clock, jitter):
    operation = Flaky(1, error=ValueError)
    with pytest.raises(ValueError):
        retry.call_with_retries(operation)
    assert operation.calls == 1
    assert clock.sleeps == []


def test_gives_up_instead_of_sleeping_past_the_deadline(clock, jitter):
    operation = Flaky(1_000)
    started = clock.now
    with pytest.raises(ConnectionError, match="failure 4"):
        retry.call_with_retries(operation, attempts=1_000, base_s=0.1, cap_s=0.1, deadline_s=0.35)
    # Sleeps of 0.1 s at 0.0, 0.1 and 0.2 s; after the fourth failure, at 0.3 s, the next
    # sleep would end at 0.4 s, past the deadline, so it gives up at once.
    assert clock.sleeps == pytest.approx([0.1, 0.1, 0.1])
    assert operation.calls == 4
    assert clock.now - started <= 0.35
