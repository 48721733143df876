"""Builds one realistic UserRecord. Read-only.

The compact-records check calls make_record(i) 100 000 times in a fresh process and measures
how much the process grows. pipeline is imported here, at the top, so that its own imports
are done before the measurement starts and only the records are counted.
"""
from pipeline import UserRecord
from sample_data import COUNTRIES, PLANS


def make_record(i: int) -> UserRecord:
    """One UserRecord as the pipeline builds them: its own strings and numbers, and the
    country and plan strings shared with other records."""
    user_id = 100_000 + i
    return UserRecord(
        user_id=user_id,
        email=f"user{user_id}@mail.example",
        display_name=f"user{user_id}",
        country=COUNTRIES[i % len(COUNTRIES)],
        plan=PLANS[i % len(PLANS)],
        signup_day=17_500 + i % 3_000,
        active=i % 10 != 0,
    )
