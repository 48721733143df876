"""Builds the orders that report.py summarises: a year of made-up web-shop orders.

Read-only. The orders are generated (not shipped as a file) so they are the same on every
machine: the same seed always gives the same orders.
"""
import random

REGIONS = ["Nordics", "Benelux", "Iberia", "Alpine", "Baltics", "British Isles", "Balkans", "Central"]
# Each region pays mostly in one currency, sometimes in euros or dollars.
LOCAL_CURRENCY = {
    "Nordics": "SEK", "Benelux": "EUR", "Iberia": "EUR", "Alpine": "CHF",
    "Baltics": "EUR", "British Isles": "GBP", "Balkans": "RON", "Central": "PLN",
}
# How busy each region is, relative to the others.
REGION_WEIGHTS = [5, 9, 6, 4, 2, 8, 3, 7]


def make_orders(count: int = 30_000, year: int = 2024, seed: int = 7) -> list[tuple[int, str, str, str, str]]:
    """(order_id, day 'YYYY-MM-DD', region, currency, amount as the shop sends it: '129.90')."""
    rng = random.Random(seed)
    orders = []
    for order_id in range(100_001, 100_001 + count):
        region = rng.choices(REGIONS, weights=REGION_WEIGHTS)[0]
        currency = rng.choices([LOCAL_CURRENCY[region], "EUR", "USD"], weights=[8, 1, 1])[0]
        day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        amount = f"{rng.lognormvariate(4, 0.8):.2f}"
        orders.append((order_id, day, region, currency, amount))
    return orders
