"""Monthly sales report: revenue per region and month, in euros, best regions first.

    perflab run report.py       prints the report for a year of demo orders

Orders arrive in the shop's own currencies; rates.csv (maintained by finance) says how
many units of each currency buy one euro.
"""
from pathlib import Path

from sample_orders import make_orders

RATES_FILE = Path(__file__).with_name("rates.csv")


def read_rates() -> dict[str, float]:
    """{currency: units that buy one euro}, as rates.csv says today."""
    # Finance edits rates.csv, so read it rather than copying the numbers into the code:
    # once per report, which keeps every report current without re-reading it per order.
    rates = {}
    with open(RATES_FILE, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("currency,"):
                continue
            code, per_euro = line.split(",")
            rates[code] = float(per_euro)
    return rates


def to_euros(amount: str, currency: str, rates: dict[str, float]) -> float:
    """An amount as the shop sends it ('129.90') in `currency`, converted to euros."""
    if currency not in rates:
        raise KeyError(f"no exchange rate for {currency!r} in rates.csv")
    return float(amount) / rates[currency]


def monthly_totals(orders):
    """{(region, 'YYYY-MM'): [order count, revenue in euros]} for every month with orders."""
    rates = read_rates()
    totals = {}
    for order_id, day, region, currency, amount in orders:
        key = (region, day[:7])
        cell = totals.get(key)
        if cell is None:
            cell = totals[key] = [0, 0.0]
        cell[0] += 1
        cell[1] += to_euros(amount, currency, rates)
    return totals


def rank_regions(totals):
    """The report's rows: regions by total revenue (highest first, ties by name), each
    region's months in calendar order, with the change from that region's previous month."""
    regions = sorted({region for region, _ in totals})
    months = sorted({month for _, month in totals})
    revenue = {region: 0.0 for region in regions}
    for region in regions:
        for month in months:
            if (region, month) in totals:
                revenue[region] += totals[(region, month)][1]
    rows = []
    for region in sorted(regions, key=lambda name: (-revenue[name], name)):
        previous = None
        for month in months:
            if (region, month) not in totals:
                continue
            count, euros = totals[(region, month)]
            change = None if previous is None else (euros - previous) / previous
            rows.append((region, month, count, euros, change))
            previous = euros
    return rows


def build_report(orders):
    """Rows of (region, month, order count, revenue in euros, change from the previous month
    or None), for a list of orders (order_id, 'YYYY-MM-DD', region, currency, amount text)."""
    return rank_regions(monthly_totals(orders))


def main() -> None:
    orders = make_orders()
    rows = build_report(orders)
    print(f"{len(orders)} orders in {len(rows)} region-months")
    by_region = {}
    for region, month, count, euros, change in rows:
        by_region.setdefault(region, []).append((euros, month, count))
    for region, months in by_region.items():
        order_count = sum(count for _, _, count in months)
        revenue = sum(euros for euros, _, _ in months)
        best_euros, best_month, _ = max(months)
        print(f"{region:<14} {order_count:6d} orders {revenue:13,.2f} EUR   best month {best_month}")


if __name__ == "__main__":
    main()
