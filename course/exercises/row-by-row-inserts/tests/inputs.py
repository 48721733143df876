"""Hidden input for the speed check of readings.load_and_summarise."""

SITES = ["dock", "lab", "roof", "cellar", "atrium", "yard"]


def speed_input(rng):
    """4 000 readings from 40 sensors: one commit per row costs the starter ~0.1-0.2 s;
    one executemany in one transaction takes a few ms."""
    sensors = [f"{site}-{n:02d}" for site in SITES for n in range(1, 8)][:40]
    start = rng.randrange(1_600_000_000, 1_800_000_000)
    readings = [
        (sensors[index % len(sensors)], start + index * 2, round(rng.uniform(-10.0, 35.0), 2))
        for index in range(4_000)
    ]
    return (readings,), {}
