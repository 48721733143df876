"""Runs the tests in test_retry.py with pytest (read-only).

    perflab run run_tests.py                       one run: a dot per passing test, F per failure
    perflab run run_tests.py --repeat 20           twenty fresh runs, identical outcomes grouped
    perflab run run_tests.py -- --durations=3      also list the three slowest tests
    perflab run run_tests.py -- --tb=short         also show each failure's traceback

The output names the failed tests but leaves out timings and values, so that runs with the
same outcome print the same thing and --repeat can group them. Extra arguments after `--`
go to pytest. The exit status is pytest's.
"""
import sys

import pytest


class FailedTests:
    """A pytest plugin that collects the names of the tests that failed."""

    def __init__(self):
        self.names = []

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.names.append(report.nodeid.split("::", 1)[-1])


if __name__ == "__main__":
    failed = FailedTests()
    status = pytest.main(["-qq", "--tb=no", "-rN", "-p", "no:cacheprovider", "test_retry.py", *sys.argv[1:]], plugins=[failed])
    print(f"failed: {', '.join(failed.names)}" if failed.names else "all tests passed")
    sys.exit(status)
