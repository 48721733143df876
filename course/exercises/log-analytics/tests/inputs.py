"""Hidden input for the speed check of analytics.build_report: 8 000 log lines of an API with
200 routes (40 resources × 5 operations), as a list of strings without newlines.

The starter's cost grows with lines × endpoints (it rescans every record once per endpoint);
a one-pass version's does not, so the speed-up grows with the number of routes. Measured on a
2-CPU machine, one call per fresh worker: starter ~0.40 s, reference ~0.07 s (including the
~25 ms that numpy's first np.percentile call spends importing numpy.ma).
"""

RESOURCES = ["products", "categories", "brands", "search", "basket", "checkout", "orders", "invoices",
             "returns", "payments", "refunds", "sessions", "accounts", "addresses", "wishlists", "reviews",
             "questions", "stores", "stock", "suppliers", "shipments", "couriers", "coupons", "offers",
             "gift-cards", "loyalty", "notifications", "messages", "reports", "exports", "imports", "banners",
             "pages", "menus", "media", "tags", "prices", "taxes", "currencies", "webhooks"]
OPERATIONS = [("GET", ""), ("GET", "/item"), ("POST", ""), ("PUT", "/item"), ("DELETE", "/item")]
STATUSES = [200] * 80 + [201, 204, 304, 304, 400, 401, 404, 404, 409, 500, 502, 503, 504]


def speed_input(rng):
    routes = [(method, f"/api/{resource}{suffix}") for resource in RESOURCES for method, suffix in OPERATIONS]
    lines = []
    for n in range(8_000):
        method, path = rng.choice(routes)
        latency = 60 * rng.random() ** 3
        lines.append(f"2024-07-02T11:{n // 600 % 60:02d}:{n // 10 % 60:02d}.{rng.randrange(1000):03d}Z "
                     f"{method} {path} {rng.choice(STATUSES)} {latency:.2f} {rng.randrange(50, 90_000)}")
        if rng.random() < 0.002:
            lines.append("-- server restarted --")
    return (lines,), {}
