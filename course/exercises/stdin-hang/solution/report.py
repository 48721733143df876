"""Nightly build report: reads build durations and prints a one-line summary of them.

    perflab run report.py

The statistics come from the build team's summariser, summarise.py, which reads numbers
on its standard input. This script runs it as a child process and hands it the numbers.
"""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUMMARISER = HERE / "summarise.py"
DATA = HERE / "build_times.txt"

# The summariser answers in a fraction of a second; anything slower means it is stuck.
TIMEOUT_S = 10


def load_durations(path: Path) -> list[float]:
    """The numbers in `path`, one per line; lines starting with # are comments."""
    lines = path.read_text().splitlines()
    return [float(line) for line in lines if line.strip() and not line.startswith("#")]


def summarise(durations: list[float]) -> str:
    """Ask summarise.py for its one-line summary of `durations`."""
    payload = "".join(f"{value}\n" for value in durations)
    # stdin=PIPE gives the child its own input pipe: communicate() writes the payload to it
    # and then closes it, so the child sees the end of its input. Without it, the child
    # inherits our standard input and communicate() silently drops the payload.
    child = subprocess.Popen(
        [sys.executable, str(SUMMARISER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        output, errors = child.communicate(payload, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        # Never leave a stuck child behind: kill it, then reap it (communicate waits for
        # the exit and closes our ends of the pipes).
        child.kill()
        child.communicate()
        raise RuntimeError(f"summarise.py gave no answer within {TIMEOUT_S} s") from None
    if child.returncode != 0:
        raise RuntimeError(f"summarise.py failed with exit status {child.returncode}: {errors.strip()}")
    return output.strip()


def main() -> None:
    durations = load_durations(DATA)
    print(f"Nightly builds: {len(durations)} runs")
    print(summarise(durations))


if __name__ == "__main__":
    main()
