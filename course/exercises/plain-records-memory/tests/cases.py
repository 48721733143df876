"""Hidden correctness cases for readings.summarise_export: edge cases, then random exports."""

HEADER = "sensor_id,taken_at,temperature,humidity,battery,status"
STATUSES = ["ok", "ok", "ok", "ok", "low-battery", "recalibrate", "offline"]


def export(rows):
    return "\n".join([HEADER] + [",".join(str(cell) for cell in row) for row in rows]) + "\n"


def random_export(rng, sensors, rows):
    start = rng.randrange(1_600_000_000, 1_800_000_000)
    lines = []
    for n in range(rows):
        lines.append((rng.randint(1, sensors), start + 60 * n, f"{rng.uniform(-5, 40):.2f}",
                      f"{rng.uniform(10, 99):.1f}", rng.randint(0, 100), rng.choice(STATUSES)))
    rng.shuffle(lines)
    return export(lines)


def cases(rng):
    result = [
        ((HEADER + "\n",), {}),  # no readings
        ((export([(7, 1_718_236_800, "21.50", "55.0", 88, "ok")]),), {}),
        ((export([(3, 100, "-4.25", "99.9", 0, "offline"), (3, 160, "-4.25", "10.0", 0, "low-battery"),
                  (1, 100, "30.00", "50.0", 100, "recalibrate")]),), {}),
        ((export([(250, 5, "0.00", "0.0", 50, "ok"), (250, 6, "0.01", "0.1", 50, "ok")]),), {}),
    ]
    for sensors, rows in [(2, 10), (20, 500), (200, 5_000)]:
        result.append(((random_export(rng, sensors, rows),), {}))
    return result
