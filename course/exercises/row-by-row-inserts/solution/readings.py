"""Loads a night of greenhouse sensor readings into a scratch SQLite database and reports.

    perflab run readings.py          load 20 000 readings and print the night's summary
    perflab profile readings.py      where does the time go?

The database is a scratch copy: it lives in a temporary folder, is rebuilt on every run and
thrown away at the end, so durability is switched off (PRAGMA synchronous = OFF) — nothing
waits for the disk.
"""
import os
import sqlite3
import tempfile

from sample_readings import make_readings

SCHEMA = """
CREATE TABLE readings (
    sensor   TEXT    NOT NULL,
    taken_at INTEGER NOT NULL,   -- Unix time, seconds
    celsius  REAL    NOT NULL
)
"""

SUMMARY = """
SELECT COUNT(*), COUNT(DISTINCT sensor), MIN(taken_at), MAX(taken_at), ROUND(SUM(celsius), 2)
FROM readings
"""


def open_scratch_db(folder: str) -> sqlite3.Connection:
    connection = sqlite3.connect(os.path.join(folder, "readings.db"))
    connection.execute("PRAGMA synchronous = OFF")  # a scratch copy: no need to wait for the disk
    connection.execute(SCHEMA)
    return connection


def save_readings(connection: sqlite3.Connection, readings: list[tuple[str, int, float]]) -> None:
    """Store every (sensor, taken_at, celsius) reading in the readings table."""
    # One statement for the whole batch, in one transaction: `with connection` commits once
    # at the end (and rolls everything back if a row fails). Committing after every row
    # made SQLite open, write and delete its journal file once per reading, and executing
    # row by row paid a Python-to-SQLite round trip per reading.
    with connection:
        connection.executemany(
            "INSERT INTO readings (sensor, taken_at, celsius) VALUES (?, ?, ?)",
            readings,
        )


def load_and_summarise(readings: list[tuple[str, int, float]]) -> dict:
    """Load `readings` into a fresh scratch database and summarise what it now holds."""
    with tempfile.TemporaryDirectory() as folder:
        connection = open_scratch_db(folder)
        try:
            save_readings(connection, readings)
            rows, sensors, first, last, total = connection.execute(SUMMARY).fetchone()
        finally:
            connection.close()
    return {"rows": rows, "sensors": sensors, "first": first, "last": last, "celsius_total": total}


def main() -> None:
    summary = load_and_summarise(make_readings())
    print(f"stored {summary['rows']} readings from {summary['sensors']} sensors")
    print(f"from {summary['first']} to {summary['last']} (Unix time)")
    print(f"checksum: celsius total {summary['celsius_total']}")


if __name__ == "__main__":
    main()
