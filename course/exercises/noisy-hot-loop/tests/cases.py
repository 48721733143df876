"""Hidden correctness cases for pricing.price_lines: edge cases, then random days."""

CATEGORIES = ["garden", "kitchen", "tools", "toys", "books", "lighting", "pets", "sports"]


def random_day(rng, skus, lines, coupon_share):
    kinds = [rng.choice(CATEGORIES) for _ in range(skus)]
    codes = [f"{kind[:3].upper()}-{n:05d}" for n, kind in enumerate(kinds)]
    catalogue = {code: (f"item {code.lower()}", rng.randrange(1, 50_000), kind) for code, kind in zip(codes, kinds)}
    coupons = {code: rng.choice([1, 5, 10, 33, 50, 100]) for code in rng.sample(codes, int(skus * coupon_share))}
    order_lines = [(rng.choice(codes), rng.randint(1, 20)) for _ in range(lines)]
    for index in rng.sample(range(lines), lines // 50):
        order_lines[index] = (f"OLD-{index:06d}", rng.randint(1, 3))
    return order_lines, catalogue, coupons


def cases(rng):
    catalogue = {"TOO-00001": ("hammer", 1_999, "tools"), "GAR-00002": ("hose", 3_450, "garden"),
                 "TOO-00003": ("saw", 2_501, "tools")}
    return [
        (([], catalogue, {}), {}),
        (([("TOO-00001", 1)], catalogue, {}), {}),
        (([("NOPE-1", 3), ("NOPE-2", 1)], catalogue, {}), {}),  # only unknown items
        (([("TOO-00001", 3), ("GAR-00002", 7), ("TOO-00003", 1)], catalogue,
          {"TOO-00001": 100, "TOO-00003": 33}), {}),  # a free item, and an odd percentage
        (([("GAR-00002", 1)] * 5, catalogue, {"GAR-00002": 50, "GONE-9": 10}), {}),  # coupon for a missing item
        ((*random_day(rng, 30, 200, 0.3),), {}),
        ((*random_day(rng, 500, 3_000, 0.05),), {}),
    ]
