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


def load_durations(path: Path) -> list[float]:
    """The numbers in `path`, one per line; lines starting with # are comments."""
    lines = path.read_text().splitlines()
    return [float(line) for line in lines if line.strip() and not line.startswith("#")]


def summarise(durations: list[float]) -> str:
    """Ask summarise.py for its one-line summary of `durations`."""
    payload = "".join(f"{value}\n" for value in durations)
    child = subprocess.Popen([sys.executable, str(SUMMARISER)], stdout=subprocess.PIPE, text=True)
    output, _ = child.communicate(payload)
    if child.returncode != 0:
        raise RuntimeError(f"summarise.py failed with exit status {child.returncode}")
    return output.strip()


def main() -> None:
    durations = load_durations(DATA)
    print(f"Nightly builds: {len(durations)} runs")
    print(summarise(durations))


if __name__ == "__main__":
    main()
