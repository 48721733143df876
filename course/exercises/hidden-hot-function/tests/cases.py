"""Hidden correctness cases for report.build_report: edge cases, then random order books.

Self-contained (hidden files are loaded one by one). Every currency used is in rates.csv.
"""

CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "ISK",
              "JPY", "CNY", "AUD", "CAD", "NZD", "SGD", "HKD", "KRW", "INR", "BRL", "MXN", "ZAR", "TRY"]
REGIONS = ["North", "South", "East", "West", "Islands", "Capital", "Coast", "Highlands"]


def order_book(rng, count, regions, months, year=2023):
    orders = []
    first_id = rng.randrange(1, 10_000_000)
    for n in range(count):
        day = f"{year}-{rng.choice(months):02d}-{rng.randint(1, 28):02d}"
        amount = f"{rng.uniform(0.5, 2_500):.2f}"
        orders.append((first_id + n, day, rng.choice(regions), rng.choice(CURRENCIES), amount))
    return orders


def cases(rng):
    result = [
        (([],), {}),
        (([(1, "2024-01-15", "North", "EUR", "10.00")],), {}),
        # Every currency once, same region and month: each rate is used.
        (([(n, "2024-06-01", "South", code, "100.00") for n, code in enumerate(CURRENCIES)],), {}),
        # Gaps: the change is measured from the region's previous month that has orders.
        (([(1, "2024-01-03", "East", "USD", "50.00"), (2, "2024-04-09", "East", "USD", "75.00"),
           (3, "2024-04-10", "West", "GBP", "20.00"), (4, "2024-12-31", "East", "JPY", "9000")],), {}),
        # Two regions with exactly the same revenue: ties are broken by name.
        (([(1, "2024-02-02", "Beta", "EUR", "40.00"), (2, "2024-02-03", "Alpha", "EUR", "40.00")],), {}),
    ]
    for count, region_count, month_count in [(30, 2, 3), (400, 5, 12), (3_000, 8, 12)]:
        regions = rng.sample(REGIONS, region_count)
        months = sorted(rng.sample(range(1, 13), month_count))
        result.append(((order_book(rng, count, regions, months),), {}))
    return result
