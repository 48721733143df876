"""Sensor readings from the greenhouse export: load them, then summarise each sensor.

    perflab run readings.py                 loads a day of readings and prints the summary
    perflab profile readings.py --memory    where the memory goes

The export is CSV with a header line: sensor_id,taken_at,temperature,humidity,battery,status.
The real exports hold millions of readings, all loaded at once so that several reports can
run over them.
"""
from dataclasses import dataclass

from sample_export import make_export

# One shared string per status, so millions of readings do not each carry a copy.
STATUSES = {status: status for status in ("ok", "low-battery", "recalibrate", "offline")}


@dataclass(slots=True)
class Reading:
    """One reading. With slots=True the six fields live in fixed places inside the object:
    no per-instance __dict__, so each reading costs far less memory than a plain object."""

    sensor_id: int
    taken_at: int
    temperature: float
    humidity: float
    battery: int
    status: str


def parse_readings(lines):
    """Reading objects for the CSV lines of an export (the header line first)."""
    readings = []
    header = None
    for line in lines:
        cells = line.rstrip("\n").split(",")
        if header is None:
            header = cells
            continue
        row = dict(zip(header, cells))
        readings.append(Reading(
            sensor_id=int(row["sensor_id"]),
            taken_at=int(row["taken_at"]),
            temperature=float(row["temperature"]),
            humidity=float(row["humidity"]),
            battery=int(row["battery"]),
            status=STATUSES[row["status"]],
        ))
    return readings


def summarise(readings):
    """{sensor_id: (readings, lowest temperature, highest temperature, mean humidity, problems)}
    where problems counts readings whose status is not "ok"."""
    by_sensor = {}
    for reading in readings:
        entry = by_sensor.get(reading.sensor_id)
        if entry is None:
            entry = by_sensor[reading.sensor_id] = [0, reading.temperature, reading.temperature, 0.0, 0]
        entry[0] += 1
        entry[1] = min(entry[1], reading.temperature)
        entry[2] = max(entry[2], reading.temperature)
        entry[3] += reading.humidity
        if reading.status != "ok":
            entry[4] += 1
    return {
        sensor: (count, low, high, round(humidity / count, 2), problems)
        for sensor, (count, low, high, humidity, problems) in sorted(by_sensor.items())
    }


def summarise_export(text: str) -> dict:
    """The summary of an export given as one string."""
    return summarise(parse_readings(text.splitlines()))


if __name__ == "__main__":
    # Loaded once and kept: several reports run over the same readings.
    readings = parse_readings(make_export().splitlines())
    summary = summarise(readings)
    print(f"{len(readings)} readings from {len(summary)} sensors")
    for sensor, (count, low, high, humidity, problems) in list(summary.items())[:5]:
        print(f"sensor {sensor:3d}: {count} readings, {low:.1f} to {high:.1f} °C, {humidity:.1f} % RH, {problems} problems")
    print("...")
