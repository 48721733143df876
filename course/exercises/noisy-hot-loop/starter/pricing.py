"""Prices a day of order lines: catalogue price x quantity, minus today's coupons, plus VAT.

    perflab run pricing.py       prices the demo day and prints the totals

All amounts are integers in cents, so nothing is lost to rounding.
"""
import logging

from sample_day import make_day

log = logging.getLogger(__name__)

VAT_PERCENT = 20


class NoCoupon(LookupError):
    """Raised by coupon_for when an item has no coupon today."""


def coupon_for(sku: str, coupons: dict) -> int:
    """Today's percentage off for `sku`. Raises NoCoupon when it has none."""
    try:
        return coupons[sku]
    except KeyError:
        raise NoCoupon(f"no coupon today for {sku}") from None


def price_lines(lines, catalogue, coupons):
    """Totals for order `lines` [(sku, quantity)], given the `catalogue`
    {sku: (name, price in cents, category)} and today's `coupons` {sku: percent off}.

    Lines whose sku is not in the catalogue are counted as unknown and not priced.
    """
    total = 0
    discounted = 0
    unknown = 0
    by_category = {}
    for sku, quantity in lines:
        log.debug(f"pricing {quantity} x {sku}: catalogue entry {catalogue.get(sku)!r}, coupon {coupons.get(sku)!r}")
        try:
            name, price, category = catalogue[sku]
        except KeyError:
            unknown += 1
            continue
        amount = price * quantity
        try:
            percent = coupon_for(sku, coupons)
        except NoCoupon:
            pass  # most items have no coupon today
        else:
            amount -= amount * percent // 100
            discounted += 1
        try:
            by_category[category] += amount
        except KeyError:
            by_category[category] = amount
        total += amount
        log.debug(f"line total for {sku} ({name}): {amount} cents, running total {total} cents")
    log.info("priced %d lines: %d discounted, %d unknown", len(lines), discounted, unknown)
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
