"""Hidden cases for scoring.score_all: the empty day, one transaction, and random days."""

COUNTRIES = ["SE", "DE", "FR", "US", "BR", "JP", "NG", "IN", "GB", "MX"]


def random_day(rng, count):
    return [(rng.randrange(10**8), rng.randint(100, 900_000), rng.choice(COUNTRIES)) for _ in range(count)]


def cases(rng):
    return [
        (([],), {}),
        ((random_day(rng, 1),), {}),
        ((random_day(rng, 7),), {}),
        ((random_day(rng, 49),), {}),
        ((random_day(rng, 51),), {}),
        ((random_day(rng, rng.randint(150, 300)),), {}),
    ]
