"""Nightly risk scoring: scores every card transaction of the day on all CPUs.

    perflab run scoring.py

Scoring one transaction is CPU-heavy (risk_score stands in for a real fraud model), so the
transactions are spread over a pool of worker processes. The parent then reports how many
were scored, how many are flagged for review, and the day's total risk.
"""
import multiprocessing
import random

PROCESSES = 2
FLAG_AT = 90  # scores from 0 to 99; this and above go to a human for review

# Scores collected from the workers, one per transaction.
scores: list[int] = []


def make_transactions(count: int, seed: int = 99) -> list[tuple[int, int, str]]:
    """(account number, amount in cents, country code) per transaction, the same every run."""
    rng = random.Random(seed)
    countries = ["SE", "DE", "FR", "US", "BR", "JP", "NG", "IN"]
    return [(rng.randrange(10**8), rng.randint(100, 500_000), rng.choice(countries)) for _ in range(count)]


def risk_score(transaction: tuple[int, int, str]) -> int:
    """A score from 0 (harmless) to 99 (almost surely fraud). Deliberately slow."""
    account, amount_cents, country = transaction
    state = account ^ amount_cents ^ (ord(country[0]) << 8 | ord(country[1]))
    for _ in range(3_000):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
    return (state >> 33) % 100


def score_into_list(transaction: tuple[int, int, str]) -> None:
    scores.append(risk_score(transaction))


def score_all(transactions: list[tuple[int, int, str]]) -> tuple[int, int, int]:
    """(how many were scored, how many are flagged, total of all scores)."""
    with multiprocessing.Pool(PROCESSES) as pool:
        pool.map(score_into_list, transactions, chunksize=50)
    flagged = sum(1 for score in scores if score >= FLAG_AT)
    return len(scores), flagged, sum(scores)


if __name__ == "__main__":
    scored, flagged, total = score_all(make_transactions(2_000))
    print(f"scored: {scored}")
    print(f"flagged for review: {flagged}")
    print(f"total risk: {total}")
