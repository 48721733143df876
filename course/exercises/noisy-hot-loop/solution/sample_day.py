"""Builds a day of orders for pricing.py: the catalogue, today's coupons and every order
line. Read-only. Generated from a fixed seed, so it is the same on every machine."""
import random

CATEGORIES = ["garden", "kitchen", "tools", "toys", "books", "lighting", "pets", "sports"]


def make_day(skus: int = 4_000, lines: int = 150_000, coupon_share: float = 0.04, seed: int = 9):
    rng = random.Random(seed)
    kinds = [rng.choice(CATEGORIES) for _ in range(skus)]
    codes = [f"{kind[:3].upper()}-{n:05d}" for n, kind in enumerate(kinds)]
    catalogue = {code: (f"item {code.lower()}", rng.randrange(99, 25_000), kind) for code, kind in zip(codes, kinds)}
    coupons = {code: rng.choice([5, 10, 15, 20, 25, 50]) for code in rng.sample(codes, int(skus * coupon_share))}
    ordered = rng.choices(codes, weights=[1 / (rank + 1) ** 0.7 for rank in range(skus)], k=lines)
    order_lines = [(code, rng.choice([1, 1, 1, 1, 2, 2, 3, 5, 12])) for code in ordered]
    # Now and then an order names an item that was withdrawn from the catalogue.
    for index in rng.sample(range(lines), lines // 2_000):
        order_lines[index] = (f"OLD-{index:06d}", 1)
    return catalogue, coupons, order_lines
