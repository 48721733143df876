"""Hidden data generator for the flat-memory check: writes an access log of 15 000 × scale lines.

Scale 1 is about 1 MB, scale 10 about 10 MB. A pool of distinct request lines is drawn
once and then sampled, so that writing a big log stays fast; every line the program reads
is still a separate line of the file.
"""
import random

METHODS_AND_PATHS = [
    ("GET", "/"), ("GET", "/health"), ("GET", "/static/bundle.js"), ("GET", "/static/bundle.css"),
    ("GET", "/api/v2/catalogue/products"), ("GET", "/api/v2/catalogue/products/item"), ("GET", "/api/v2/catalogue/search"),
    ("GET", "/api/v2/basket"), ("POST", "/api/v2/basket/lines"), ("DELETE", "/api/v2/basket/lines"),
    ("POST", "/api/v2/checkout/submit"), ("GET", "/api/v2/orders/history"), ("POST", "/api/v2/session/login"),
    ("GET", "/api/v2/account/profile"), ("PUT", "/api/v2/account/profile"), ("GET", "/api/v2/stock/levels"),
    ("POST", "/api/v2/payments/authorise"), ("GET", "/api/v2/delivery/slots"), ("GET", "/api/v2/reviews/recent"),
    ("POST", "/api/v2/reviews/submit"), ("GET", "/api/v2/offers/today"), ("GET", "/api/v2/stores/nearby"),
]
STATUSES = [200] * 85 + [201, 204, 204, 304, 304, 304, 400, 404, 404, 500, 502, 503]


def request_line(rng):
    method, path = rng.choice(METHODS_AND_PATHS)
    clock = rng.randrange(86_400_000)
    stamp = f"2024-06-{rng.randint(1, 30):02d}T{clock // 3_600_000:02d}:{clock // 60_000 % 60:02d}:{clock // 1000 % 60:02d}.{clock % 1000:03d}Z"
    latency = 40 * rng.random() ** 3 * (30 if rng.random() < 0.01 else 1)
    return f"{stamp} {method} {path} {rng.choice(STATUSES)} {latency:.3f} {rng.randrange(100, 60_000)}\n"


def write_log(path, scale, rng=None):
    """rng: seeded afresh by each verification (the check compares the output with the
    reference's, so the log must not be predictable); 2406 when run by hand."""
    rng = rng or random.Random(2406)
    pool = [request_line(rng) for _ in range(20_000)] + ["# rotated\n", "\n", "2024-06-30T23:59:59.999Z GET /api\n"]
    with open(path, "w", encoding="ascii") as log:
        for _ in range(int(scale) * 5):
            log.write("".join(rng.choices(pool, k=3_000)))
