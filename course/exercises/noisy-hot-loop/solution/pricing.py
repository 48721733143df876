"""Prices a day of order lines: catalogue price x quantity, minus today's coupons, plus VAT.

    perflab run pricing.py       prices the demo day and prints the totals

All amounts are integers in cents, so nothing is lost to rounding.
"""
import logging

from sample_day import make_day

log = logging.getLogger(__name__)

VAT_PERCENT = 20


def price_lines(lines, catalogue, coupons):
    """Totals for order `lines` [(sku, quantity)], given the `catalogue`
    {sku: (name, price in cents, category)} and today's `coupons` {sku: percent off}.

    Lines whose sku is not in the catalogue are counted as unknown and not priced.
    """
    total = 0
    discounted = 0
    unknown = 0
    by_category = {}
    # The loop does only the pricing. No logging per line: even a debug call that is
    # filtered out costs a call, and an f-string argument is built before logging can
    # filter it. No exceptions for the common case either: most items have no coupon, so
    # ask with .get() instead of raising and catching an exception for almost every line
    # (the old coupon_for raised NoCoupon for them, and is gone).
    for sku, quantity in lines:
        item = catalogue.get(sku)
        if item is None:
            unknown += 1
            continue
        name, price, category = item
        amount = price * quantity
        percent = coupons.get(sku)
        if percent is not None:
            amount -= amount * percent // 100
            discounted += 1
        by_category[category] = by_category.get(category, 0) + amount
        total += amount
    # Log at the boundary: one line per batch, with lazy %-formatting.
    log.info("priced %d lines: %d discounted, %d unknown", len(lines), discounted, unknown)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("totals by category: %s", by_category)
    return {
        "total_cents": total,
        "with_vat_cents": total * (100 + VAT_PERCENT) // 100,
        "discounted_lines": discounted,
        "unknown_lines": unknown,
        "by_category": dict(sorted(by_category.items())),
    }


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    catalogue, coupons, lines = make_day()
    totals = price_lines(lines, catalogue, coupons)
    print(f"{len(lines)} lines: {totals['discounted_lines']} discounted, {totals['unknown_lines']} unknown")
    for category, cents in totals["by_category"].items():
        print(f"  {category:<9} {cents / 100:14,.2f}")
    print(f"  {'total':<9} {totals['total_cents'] / 100:14,.2f}  ({totals['with_vat_cents'] / 100:,.2f} with VAT)")


if __name__ == "__main__":
    main()
