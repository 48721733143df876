"""Client for the live weather service. Read-only: it belongs to the platform team.

Every call is a real HTTP request that needs network access and an API key in the
WEATHER_API_KEY environment variable. Tests must never reach it: it is slow, rate-limited,
and its answers change every minute.
"""
import json
import os
import urllib.parse
import urllib.request

BASE_URL = "https://api.weather.invalid/v2/current"


def fetch_temperature(city: str) -> float:
    """The current temperature in °C in `city`, from the live service."""
    key = os.environ.get("WEATHER_API_KEY")
    if not key:
        raise ConnectionError(
            f"weather service: cannot fetch {city!r}: WEATHER_API_KEY is not set "
            "(this is the live service, which needs network access and a key)"
        )
    url = f"{BASE_URL}?city={urllib.parse.quote(city)}&key={urllib.parse.quote(key)}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return float(json.load(response)["temperature_c"])
    except OSError as error:
        raise ConnectionError(f"weather service unreachable: {error}") from error
