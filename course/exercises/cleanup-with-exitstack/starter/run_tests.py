"""Runs the tests in test_shards.py with pytest (read-only).

    perflab run run_tests.py

Same as `python -m pytest -q test_shards.py`; the exit status is pytest's.
"""
import sys

import pytest

if __name__ == "__main__":
    sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "test_shards.py"]))
