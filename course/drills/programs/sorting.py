"""A day of sensor readings, and two ways to put them in order."""

import random

_rng = random.Random(1)
readings = [_rng.random() for _ in range(50_000)]


def report(values):
    ordered = sorted(values)
    return ordered[0], ordered[len(ordered) // 2], ordered[-1]


if __name__ == "__main__":
    print("min, median, max:", report(readings))
