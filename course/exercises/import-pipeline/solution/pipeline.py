"""Nightly user import: download pages of users, build records, hold back impersonators.

    perflab run pipeline.py
    perflab profile pipeline.py

1. download_all: fetch every page of new users from the partner's service. Each fetch is a
   blocking call (perflab_exercise.blocking_fetch) that takes about 0.2 s to answer.
2. Parse each page into UserRecord objects. Big partners send millions of users, and the
   import keeps every record in memory until the batch is committed.
3. flag_impersonators: hold back users whose display name imitates a staff account
   ("adm1n", "Suport"). A pure-Python edit distance: CPU-bound.
"""
import asyncio
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

from perflab_exercise import blocking_fetch

import sample_data

PAGES = 8
RESERVED_NAMES = ["admin", "administrator", "support", "helpdesk", "security", "billing",
                  "moderator", "root", "sysadmin", "staff", "official", "payments"]
LOOKALIKES = str.maketrans("013457", "oieast")


# slots=True: each record stores its seven fields in fixed slots, with no per-instance
# __dict__ — less memory per record, and a typo like record.emial = ... is an error.
@dataclass(slots=True)
class UserRecord:
    user_id: int
    email: str
    display_name: str
    country: str
    plan: str
    signup_day: int  # days since 1970-01-01
    active: bool


def download_all(keys: list[str]) -> list[str]:
    """The payload of every key, in the same order as `keys`."""
    return asyncio.run(_download_all(keys))


async def _download_all(keys: list[str]) -> list[str]:
    # blocking_fetch blocks its thread while it waits, and cannot be rewritten as a
    # coroutine, so each call runs in a worker thread (asyncio.to_thread) and the event
    # loop waits for all of them at once. to_thread uses the loop's default thread pool,
    # which has min(32, CPUs + 4) threads — fewer than the pages on a small machine — so
    # give it one thread per download. asyncio.run shuts the pool down at the end.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=max(1, min(32, len(keys)))))
    # gather returns the results in the order of its arguments, not the order they finish.
    return list(await asyncio.gather(*(asyncio.to_thread(blocking_fetch, key) for key in keys)))


def parse_page(payload: str) -> list[UserRecord]:
    return [UserRecord(*row) for row in sample_data.rows_for_page(payload)]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest single-letter inserts, deletes or swaps from a to b."""
    previous = list(range(len(b) + 1))
    for i, letter_a in enumerate(a, 1):
        current = [i]
        for j, letter_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter_a != letter_b)))
        previous = current
    return previous[-1]


def imitates_staff(display_name: str) -> bool:
    """Does the name, read with 0→o, 1→i, 3→e, ... and without punctuation, come within one
    edit of a reserved name (two edits for names of seven letters or more)?"""
    name = "".join(c for c in display_name.lower().translate(LOOKALIKES) if c.isalpha())
    for reserved in RESERVED_NAMES:
        allowed = 2 if len(reserved) >= 7 else 1
        if abs(len(name) - len(reserved)) <= allowed and edit_distance(name, reserved) <= allowed:
            return True
    return False


def flag_chunk(rows: list[tuple[int, str]]) -> list[int]:
    """The user_id of every (user_id, display_name) row whose name imitates staff, in order."""
    return [user_id for user_id, display_name in rows if imitates_staff(display_name)]


def usable_cpus() -> int:
    """CPUs this process may run on (can be fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def flag_impersonators(rows: list[tuple[int, str]]) -> list[int]:
    """The user_id of every (user_id, display_name) row whose name imitates staff, in the
    order of `rows`."""
    workers = usable_cpus()
    if workers == 1 or len(rows) < 200:
        return flag_chunk(rows)  # a pool would cost more than it saves
    # Threads would not help: the edit distance is pure Python and holds the GIL. Worker
    # processes each have their own interpreter. A few chunks per worker keeps them all
    # busy to the end while paying the pickling cost per chunk, not per row.
    chunk_size = -(-len(rows) // (workers * 4))
    chunks = [rows[start:start + chunk_size] for start in range(0, len(rows), chunk_size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # map returns the chunks' results in the order of the chunks.
        return [user_id for flagged in pool.map(flag_chunk, chunks) for user_id in flagged]


def main() -> None:
    keys = [f"partner/users/page-{page}" for page in range(PAGES)]
    payloads = download_all(keys)
    records = [record for payload in payloads for record in parse_page(payload)]
    held_back = set(flag_impersonators([(record.user_id, record.display_name) for record in records]))
    imported = [record for record in records if record.user_id not in held_back]
    print(f"downloaded {len(payloads)} pages, {len(records)} users")
    print(f"held back {len(held_back)} impersonators, imported {len(imported)}")


if __name__ == "__main__":
    main()
