"""A correct weather_report.py written differently from the reference: thresholds in a loop,
%-formatting, and warmest() as the first index of the maximum. Like the reference it looks
up fetch_temperature in its own namespace, which is what a well-placed patch replaces."""
from weather_api import fetch_temperature


def label(celsius: float) -> str:
    """A word for a temperature: below 0 freezing, below 15 cold, below 25 mild, else hot."""
    for upper_c, word in ((0, "freezing"), (15, "cold"), (25, "mild")):
        if celsius < upper_c:
            return word
    return "hot"


def report_line(city: str) -> str:
    """One digest line, e.g. "Lisbon: 21.5 °C, mild" (one decimal)."""
    celsius = fetch_temperature(city)
    return "%s: %.1f °C, %s" % (city, celsius, label(celsius))


def warmest(cities: list[str]) -> str:
    """The city with the highest temperature; on a tie, the one listed first."""
    if not cities:
        raise ValueError("warmest() needs at least one city")
    temperatures = [fetch_temperature(city) for city in cities]
    # list.index finds the first of equal maxima: ties go to the city listed first.
    return cities[temperatures.index(max(temperatures))]
