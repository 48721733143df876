"""Hidden correctness cases for readings.load_and_summarise: what the database holds after
the readings are saved (row count, distinct sensors, time range and a celsius checksum)."""

SITES = ["dock", "lab", "roof", "cellar", "atrium", "yard"]


def random_readings(rng, count):
    sensors = [f"{rng.choice(SITES)}-{n:02d}" for n in range(rng.randint(1, 30))]
    start = rng.randrange(1_600_000_000, 1_800_000_000)
    readings = []
    for index in range(count):
        sensor = rng.choice(sensors)
        readings.append((sensor, start + index * rng.randint(1, 9), round(rng.uniform(-30.0, 45.0), 2)))
    return readings


def cases(rng):
    return [
        (([],), {}),
        (([("roof-01", 1_700_000_000, 21.5)],), {}),
        (([("lab-02", 1_700_000_000, -3.25), ("lab-02", 1_700_000_000, -3.25), ("lab-03", 1_699_999_999, 0.0)],), {}),
        ((random_readings(rng, 17),), {}),
        ((random_readings(rng, 400),), {}),
        ((random_readings(rng, 3_000),), {}),
    ]
