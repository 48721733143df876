"""Writes the demo access log that analytics.py reads: a day of traffic at a made-up shop.

Read-only. The log is generated (not shipped) so it is the same on every machine: the same
seed always gives the same lines. One request per line:

    2024-05-14T09:31:07.412Z GET /api/cart 200 38.27 1834

timestamp, method, path, status, latency in milliseconds, response size in bytes. About one
line in 2 000 is not a request (rotation banners, blank lines, lines cut short by a crash).
"""
import os
import random

# (method, path, typical latency in ms, weight)
ENDPOINTS = [
    ("GET", "/", 6.0, 90), ("GET", "/health", 0.8, 60), ("GET", "/robots.txt", 0.5, 4),
    ("GET", "/sitemap.xml", 3.0, 3), ("GET", "/static/app.js", 1.5, 70), ("GET", "/static/app.css", 1.2, 65),
    ("GET", "/static/logo.svg", 0.9, 50), ("GET", "/api/products", 28.0, 80), ("GET", "/api/products/item", 14.0, 75),
    ("GET", "/api/categories", 9.0, 30), ("GET", "/api/brands", 8.0, 12), ("GET", "/api/search", 55.0, 45),
    ("GET", "/api/recommendations", 120.0, 25), ("GET", "/api/cart", 12.0, 40), ("POST", "/api/cart", 18.0, 22),
    ("DELETE", "/api/cart", 11.0, 6), ("POST", "/api/checkout", 240.0, 8), ("GET", "/api/orders", 35.0, 14),
    ("GET", "/api/orders/item", 21.0, 9), ("POST", "/api/orders", 160.0, 7), ("POST", "/api/login", 75.0, 16),
    ("POST", "/api/logout", 4.0, 5), ("GET", "/api/profile", 10.0, 12), ("PUT", "/api/profile", 26.0, 3),
    ("GET", "/api/inventory", 42.0, 10), ("GET", "/api/reviews", 19.0, 18), ("POST", "/api/reviews", 31.0, 2),
    ("GET", "/api/stores", 7.0, 4), ("GET", "/api/stores/nearby", 65.0, 5), ("POST", "/api/payments", 310.0, 7),
    ("GET", "/api/payments/status", 24.0, 9), ("POST", "/api/webhooks/courier", 15.0, 6),
    ("GET", "/api/shipping/quote", 88.0, 8), ("GET", "/api/coupons", 9.5, 5), ("POST", "/api/coupons/redeem", 37.0, 3),
    ("GET", "/api/wishlist", 13.0, 7), ("POST", "/api/wishlist", 17.0, 3), ("DELETE", "/api/wishlist", 12.0, 1),
    ("GET", "/api/notifications", 16.0, 11), ("POST", "/api/notifications/read", 8.0, 4),
]
STATUSES = [200] * 80 + [201] * 4 + [204] * 3 + [304] * 6 + [400] * 2 + [404] * 3 + [500, 502]
NOT_REQUESTS = ["# log rotated by logkeeper", "", "2024-05-14T", "2024-05-14T10:00:00.000Z POST /api/pay"]


def write_log(path: str, lines: int = 100_000, seed: int = 514) -> None:
    """Write `lines` log lines (requests, and about one line in 2 000 that is not one) to `path`."""
    rng = random.Random(seed)
    # A few thousand distinct requests, drawn with the endpoints' weights and reused: writing
    # the demo log should cost far less than reading it.
    weights = [weight for *_, weight in ENDPOINTS]
    requests = []
    for method, endpoint, typical_ms, _ in rng.choices(ENDPOINTS, weights=weights, k=4_000):
        latency = typical_ms * (0.4 + rng.random()) ** 3 * (25 if rng.random() < 0.01 else 1)
        requests.append(f"{method} {endpoint} {rng.choice(STATUSES)} {latency:.2f} {rng.randrange(80, 40_000)}\n")
    with open(path, "w", encoding="ascii") as log:
        for number, request in enumerate(rng.choices(requests, k=lines)):
            if number % 2_000 == 1_999:
                log.write(NOT_REQUESTS[number // 2_000 % len(NOT_REQUESTS)] + "\n")
                continue
            millis = 32_400_000 + number * 331  # one request every 0.331 s from 09:00
            log.write(f"2024-05-14T{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:"
                      f"{millis // 1000 % 60:02d}.{millis % 1000:03d}Z {request}")


def demo_log(path: str = "access.log") -> str:
    """The demo log's path, written first if it is not there yet."""
    if not os.path.exists(path):
        write_log(path)
    return path
