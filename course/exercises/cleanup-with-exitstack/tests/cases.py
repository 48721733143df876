"""Hidden correctness cases for cleanup_report.run_scenario, which runs the learner's
merge_shards on a day of shards built to order and returns what it returned or raised,
how many files were still open when the caller got the result, what is left in the output
folder, and a CRC of the merged file. Self-contained (hidden files are loaded one by one)."""


def good(rng):
    return ("events", rng.randint(1, 120), rng.randrange(10**6))


def broken(rng):
    kind = rng.choice(["missing", "folder", "malformed"])
    if kind == "malformed":
        count = rng.randint(2, 120)
        return ("malformed", count, rng.randint(1, count), rng.randrange(10**6))
    return (kind,)


def day(rng, size, broken_at=None):
    shards = [good(rng) if rng.random() < 0.9 else ("empty",) for _ in range(size)]
    if broken_at is not None:
        shards[broken_at] = broken(rng)
    return shards


def cases(rng):
    result = [
        (([],), {}),
        (([("events", 5, 1)],), {}),
        (([("missing",)],), {}),
        (([("events", 40, 2), ("folder",), ("events", 30, 3)],), {}),
        (([("events", 40, 4), ("events", 30, 5), ("missing",)],), {}),
        (([("events", 60, 6), ("malformed", 60, 59, 7), ("events", 60, 8)],), {}),
        (([("events", 10, 9), ("events", 10, 10)],), {"output_folder_exists": False}),
        ((day(rng, 12),), {}),
    ]
    for size in (3, 8, 25):
        result.append(((day(rng, size, broken_at=rng.randrange(size)),), {}))
    result.append(((day(rng, 6),), {"output_folder_exists": False}))
    return result
