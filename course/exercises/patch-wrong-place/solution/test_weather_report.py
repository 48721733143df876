"""Unit tests for weather_report. They must never call the live weather service."""
from unittest import mock

import pytest

import weather_report

# weather_report does `from weather_api import fetch_temperature`, which copies the function
# into weather_report's own namespace at import time. report_line and warmest look the name
# up there, so that is the name to replace. Patching weather_api.fetch_temperature would
# change a name weather_report never reads again.


@mock.patch("weather_report.fetch_temperature", return_value=21.46)
def test_report_line_shows_one_decimal_and_a_label(fake_fetch):
    assert weather_report.report_line("Lisbon") == "Lisbon: 21.5 °C, mild"
    fake_fetch.assert_called_once_with("Lisbon")


@pytest.mark.parametrize(
    "celsius, expected",
    [(-0.1, "freezing"), (0.0, "cold"), (14.9, "cold"), (15.0, "mild"), (24.9, "mild"), (25.0, "hot")],
)
def test_labels_at_the_boundaries(monkeypatch, celsius, expected):
    monkeypatch.setattr(weather_report, "fetch_temperature", lambda city: celsius)
    assert weather_report.report_line("Oslo").endswith(f", {expected}")


def test_warmest_fetches_each_city_once():
    temperatures = {"Oslo": 3.0, "Cairo": 31.5, "Lima": 18.2}
    with mock.patch("weather_report.fetch_temperature", side_effect=temperatures.get) as fake_fetch:
        assert weather_report.warmest(["Oslo", "Cairo", "Lima"]) == "Cairo"
    assert fake_fetch.call_count == 3


def test_warmest_prefers_the_first_city_on_a_tie():
    temperatures = {"Quito": 14.0, "Nairobi": 22.0, "Sydney": 22.0}
    with mock.patch.object(weather_report, "fetch_temperature", side_effect=temperatures.get):
        assert weather_report.warmest(["Quito", "Nairobi", "Sydney"]) == "Nairobi"


def test_warmest_of_no_cities_is_an_error():
    with pytest.raises(ValueError):
        weather_report.warmest([])
