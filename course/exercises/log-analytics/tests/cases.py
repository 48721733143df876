"""Hidden correctness cases for analytics.build_report: edge cases, then random logs.

Lines come with or without their trailing newline (as a file or str.splitlines gives them),
and include lines that are not requests. Results are compared with compare: approx (floats
within 1e-6 relative), so summing in a different order is fine.
"""

ROUTES = [("GET", "/"), ("GET", "/api/items"), ("POST", "/api/items"), ("GET", "/api/items/one"),
          ("DELETE", "/api/items/one"), ("PUT", "/api/users/me"), ("GET", "/api/users/me"), ("GET", "/static/x.js"),
          ("PATCH", "/api/orders/one"), ("GET", "/api/orders"), ("POST", "/api/login"), ("HEAD", "/")]
STATUSES = [200, 200, 200, 200, 201, 204, 301, 304, 400, 403, 404, 499, 500, 502, 503, 504, 599]
NOT_REQUESTS = ["", "   ", "# rotated at midnight", "2024-01-01T00:00:00.000Z GET /api/items 200 1.5",
                "2024-01-01T00:00:00.000Z GET /api/items 200 1.5 10 extra", "2024-01-01T00:00:00.000Z GET /x OK 1.5 10",
                "2024-01-01T00:00:00.000Z GET /x 200 slow 10", "2024-01-01T00:00:00.000Z GET /x 200 - 0"]


def line(rng, method, path, status, latency):
    return f"2024-01-0{rng.randint(1, 9)}T0{rng.randint(0, 9)}:1{rng.randint(0, 9)}:2{rng.randint(0, 9)}.{rng.randrange(1000):03d}Z {method} {path} {status} {latency} {rng.randrange(0, 99_999)}"


def random_log(rng, count, routes, newline):
    lines = []
    for _ in range(count):
        if rng.random() < 0.03:
            text = rng.choice(NOT_REQUESTS)
        else:
            method, path = rng.choice(routes)
            latency = rng.choice([f"{rng.expovariate(0.05):.2f}", f"{rng.expovariate(0.5):.3f}", str(rng.randint(0, 500))])
            text = line(rng, method, path, rng.choice(STATUSES), latency)
        if rng.random() < 0.05:
            text = rng.choice(["  ", "\t"]) + text + rng.choice([" ", "\t", "\r"])
        lines.append(text + "\n" if newline else text)
    return lines


def cases(rng):
    one = line(rng, "GET", "/api/items", 200, "12.5")
    result = [
        ([],),
        ([""],),
        (NOT_REQUESTS[:],),
        ([one],),
        ([one + "\n", one + "\n"],),
        ([line(rng, "GET", "/", 503, "0.25"), "# noise", line(rng, "GET", "/", 200, "7")],),
        ([line(rng, "POST", "/api/login", 500 + n, f"{n}.5") for n in range(10)],),
    ]
    for count, newline in [(3, False), (40, True), (250, False), (1_000, True), (4_000, False)]:
        routes = rng.sample(ROUTES, rng.randint(1, len(ROUTES)))
        result.append((random_log(rng, count, routes, newline),))
    return [(args, {}) for args in result]
