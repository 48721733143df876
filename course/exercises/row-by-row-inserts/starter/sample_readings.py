"""Builds a night of greenhouse sensor readings for readings.py. Read-only.

The readings are generated, not shipped as a file, so they are the same on every machine:
the same seed always gives the same night.
"""
import random

HOUSES = ["north", "south", "east", "west", "nursery"]
NIGHT_START = 1_718_841_600  # a Unix timestamp: the start of the night shift


def make_readings(count: int = 20_000, seed: int = 7) -> list[tuple[str, int, float]]:
    """`count` readings (sensor, taken_at, celsius), in the order the sensors sent them."""
    rng = random.Random(seed)
    sensors = [f"{house}-{number:02d}" for house in HOUSES for number in range(1, 9)]
    base_celsius = {sensor: rng.uniform(12.0, 26.0) for sensor in sensors}
    readings = []
    for index in range(count):
        sensor = sensors[index % len(sensors)]
        taken_at = NIGHT_START + (index // len(sensors)) * 15 + rng.randrange(15)
        celsius = round(base_celsius[sensor] + rng.gauss(0.0, 0.8), 2)
        readings.append((sensor, taken_at, celsius))
    return readings
