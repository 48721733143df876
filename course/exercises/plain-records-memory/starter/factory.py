"""Builds one realistic Reading. Read-only.

The compact-records check calls make_reading(i) 100 000 times in a fresh process and
measures how much the process grows. readings is imported here, at the top, so that its
own imports are done before the measurement starts and only the readings are counted.
"""
from readings import STATUSES, Reading

STATUS_CYCLE = ["ok"] * 17 + ["low-battery", "recalibrate", "offline"]


def make_reading(i: int) -> Reading:
    """One Reading as parse_readings builds them: its own timestamp and measurements, and
    the small numbers and status strings it shares with other readings."""
    return Reading(
        sensor_id=1 + i % 250,
        taken_at=1_718_236_800 + 90 * i,
        temperature=14.0 + (i % 1_200) / 100,
        humidity=45.0 + (i % 350) / 10,
        battery=i % 101,
        status=STATUSES[STATUS_CYCLE[i % len(STATUS_CYCLE)]],
    )
