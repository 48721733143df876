"""Hidden input for the speed check of pricing.price_lines: 20 000 order lines over a
catalogue of 2 000 items, 4 % of which have a coupon today (so almost every line has none)."""

CATEGORIES = ["garden", "kitchen", "tools", "toys", "books", "lighting", "pets", "sports"]


def speed_input(rng):
    kinds = [rng.choice(CATEGORIES) for _ in range(2_000)]
    codes = [f"{kind[:3].upper()}-{n:05d}" for n, kind in enumerate(kinds)]
    catalogue = {code: (f"item {code.lower()}", rng.randrange(99, 25_000), kind) for code, kind in zip(codes, kinds)}
    coupons = {code: rng.choice([5, 10, 15, 20, 25, 50]) for code in rng.sample(codes, 80)}
    lines = [(code, rng.choice([1, 1, 1, 2, 2, 3, 5])) for code in rng.choices(codes, k=20_000)]
    return (lines, catalogue, coupons), {}
