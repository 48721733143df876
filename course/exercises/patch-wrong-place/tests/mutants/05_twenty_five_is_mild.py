"""Turns live temperatures into the lines of the morning weather digest.

Read-only in this exercise: it is the code under test, and it is correct.
"""
from weather_api import fetch_temperature


def label(celsius: float) -> str:
    """A word for a temperature: below 0 freezing, below 15 cold, below 25 mild, else hot."""
    if celsius < 0:
        return "freezing"
    if celsius < 15:
        return "cold"
    if celsius <= 25:
        return "mild"
    return "hot"


def report_line(city: str) -> str:
    """One digest line, e.g. "Lisbon: 21.5 °C, mild" (one decimal)."""
    celsius = fetch_temperature(city)
    return f"{city}: {celsius:.1f} °C, {label(celsius)}"


def warmest(cities: list[str]) -> str:
    """The city with the highest temperature; on a tie, the one listed first.

    Fetches each city's temperature exactly once (the service is slow and rate-limited).
    """
    if not cities:
        raise ValueError("warmest() needs at least one city")
    best_city, best_celsius = None, None
    for city in cities:
        celsius = fetch_temperature(city)
        if best_celsius is None or celsius > best_celsius:
            best_city, best_celsius = city, celsius
    return best_city
