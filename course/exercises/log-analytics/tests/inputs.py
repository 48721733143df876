"""Hidden input for the speed check of analytics.build_report: 5 000 log lines of an API with
120 routes (30 resources × 4 operations), as a list of strings without newlines."""

RESOURCES = ["products", "categories", "brands", "search", "basket", "checkout", "orders", "invoices",
             "returns", "payments", "refunds", "sessions", "accounts", "addresses", "wishlists", "reviews",
             "questions", "stores", "stock", "suppliers", "shipments", "couriers", "coupons", "offers",
             "gift-cards", "loyalty", "notifications", "messages", "reports", "exports"]
OPERATIONS = [("GET", ""), ("GET", "/item"), ("POST", ""), ("DELETE", "/item")]
STATUSES = [200] * 80 + [201, 204, 304, 304, 400, 401, 404, 404, 409, 500, 502, 503, 504]


def speed_input(rng):
    routes = [(method, f"/api/{resource}{suffix}") for resource in RESOURCES for method, suffix in OPERATIONS]
    lines = []
    for n in range(5_000):
        method, path = rng.choice(routes)
        latency = 60 * rng.random() ** 3
        lines.append(f"2024-07-02T11:{n // 600 % 60:02d}:{n // 10 % 60:02d}.{rng.randrange(1000):03d}Z "
                     f"{method} {path} {rng.choice(STATUSES)} {latency:.2f} {rng.randrange(50, 90_000)}")
        if rng.random() < 0.002:
            lines.append("-- server restarted --")
    return (lines,), {}
