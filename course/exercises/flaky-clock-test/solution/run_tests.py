"""Runs the tests in test_retry.py with pytest (read-only).

    perflab run run_tests.py
    perflab run run_tests.py --repeat 20      twenty fresh runs, outcomes grouped

Same as `python -m pytest -q --durations=3 test_retry.py`: the three slowest tests are
listed at the end. The exit status is pytest's.
"""
import sys

import pytest

if __name__ == "__main__":
    sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "--durations=3", "test_retry.py"]))
