"""Hidden input for the speed check of report.build_report: 6 000 orders in a year.

The starter re-reads rates.csv once per order (about 0.1 s here); reading it once per
report brings that down to a few milliseconds.
"""

CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "ISK",
              "JPY", "CNY", "AUD", "CAD", "NZD", "SGD", "HKD", "KRW", "INR", "BRL", "MXN", "ZAR", "TRY"]
REGIONS = ["North", "South", "East", "West", "Islands", "Capital", "Coast", "Highlands"]


def speed_input(rng):
    orders = []
    for n in range(6_000):
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        amount = f"{rng.lognormvariate(4, 0.8):.2f}"
        orders.append((n + 1, day, rng.choice(REGIONS), rng.choice(CURRENCIES), amount))
    return (orders,), {}
