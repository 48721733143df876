"""Rank every player of a tournament by score (1 = best; tied scores share a rank)."""

import random


def load_scores(count, seed=11):
    rng = random.Random(seed)
    return [rng.randrange(100_000) for _ in range(count)]


def leaderboard_ranks(scores):
    ordered = sorted(scores, reverse=True)
    return [ordered.index(score) + 1 for score in scores]


def format_rows(scores, ranks):
    return [f"{rank:>5} {score:>7}" for score, rank in zip(scores, ranks, strict=True)]


def main():
    scores = load_scores(4_000)
    ranks = leaderboard_ranks(scores)
    rows = format_rows(scores, ranks)
    print(len(rows), "players; best score", max(scores))


if __name__ == "__main__":
    main()
