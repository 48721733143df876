"""A correct weather_report.py written differently from the reference: the label comes from
a table with bisect, and warmest() keeps the readings it fetched. Like the reference it looks
up fetch_temperature in its own namespace (`from weather_api import ...`), which is what a
well-placed patch replaces. The learner's tests must pass on it too."""
from bisect import bisect_right

from weather_api import fetch_temperature

# Lower bounds of "cold", "mild" and "hot": below 0 freezing, below 15 cold, below 25 mild.
_BOUNDS_C = (0, 15, 25)
_WORDS = ("freezing", "cold", "mild", "hot")


def label(celsius: float) -> str:
    """A word for a temperature: below 0 freezing, below 15 cold, below 25 mild, else hot."""
    return _WORDS[bisect_right(_BOUNDS_C, celsius)]


def report_line(city: str) -> str:
    """One digest line, e.g. "Lisbon: 21.5 °C, mild" (one decimal)."""
    celsius = fetch_temperature(city)
    return "{}: {:.1f} °C, {}".format(city, celsius, label(celsius))


def warmest(cities: list[str]) -> str:
    """The city with the highest temperature; on a tie, the one listed first."""
    if not cities:
        raise ValueError("warmest() needs at least one city")
    readings = [(fetch_temperature(city), city) for city in cities]
    best = readings[0]
    for reading in readings[1:]:
        if reading[0] > best[0]:
            best = reading
    return best[1]
