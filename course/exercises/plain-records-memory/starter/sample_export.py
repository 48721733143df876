"""Builds a day's export for readings.py: 100 sensors reporting every three minutes.

Read-only. The export is generated (not shipped as a file) so that it is the same on every
machine: the same seed always gives the same text.
"""
import random


def make_export(sensors: int = 100, every_s: int = 180, seed: int = 3) -> str:
    rng = random.Random(seed)
    start = 1_718_236_800  # a midnight, in seconds since 1970
    lines = ["sensor_id,taken_at,temperature,humidity,battery,status"]
    base = {sensor: (rng.uniform(14, 26), rng.uniform(45, 80)) for sensor in range(1, sensors + 1)}
    for taken_at in range(start, start + 86_400, every_s):
        for sensor, (temperature, humidity) in base.items():
            battery = max(0, 100 - (taken_at - start) // 2_000 - sensor % 17)
            luck = rng.random()
            status = "low-battery" if battery < 20 else "offline" if luck < 0.01 else "recalibrate" if luck < 0.04 else "ok"
            lines.append(f"{sensor},{taken_at + int(luck * every_s)},{temperature + rng.random() * 4 - 2:.2f},"
                         f"{humidity + rng.random() * 10 - 5:.1f},{battery},{status}")
    return "\n".join(lines) + "\n"
