"""Data generators for the checks, from a random.Random the verification seeds afresh each time
(so no program can know the expected report in advance):

- write_log(path, scale, rng), for the memory-streaming check: an access log of 5 000 x scale
  request lines (about 0.45 MB at scale 1), with a stack trace now and then, as the web
  servers write them.
- write_sample(path, rng), for the same-report check: a log like sample.log (1 000 to 1 500
  requests), put in sample.log's place.

Why not bigger: the sandbox counts the input file's own copy in its memory (it sits in the
run's private tmpfs), so a log of tens of MB would make even a streaming search grow with
the file. At this size a streaming search stays under 1.5x from 1x to 10x, while reading
the whole file, splitting it into lines and parsing every line grows about 3x.
"""
import random

HOSTS = ["web-1", "web-2", "web-3", "web-4"]
PATHS = (["/api/products/{}"] * 30 + ["/api/cart"] * 10 + ["/api/search"] * 10 + ["/static/app.{}.js"] * 12
         + ["/health"] * 6 + ["/api/checkout/start"] * 4 + ["/api/checkout/pay"] * 3 + ["/api/checkout/confirm"] * 3)
TRACE = [
    "Traceback (most recent call last):",
    '  File "/srv/shop/payments.py", line 214, in charge',
    "    response = gateway.post(payload, timeout=timeout)",
    "payments.GatewayTimeout: no answer from the payment gateway after 1500 ms",
]


def log_lines(count, rng):
    seconds = 8 * 3600
    for n in range(count):
        seconds += rng.random() * 0.9
        path = rng.choice(PATHS)
        if "{}" in path:
            path = path.format(rng.randrange(10_000))
        checkout = path.startswith("/api/checkout")
        roll = rng.random()
        if roll < (0.12 if checkout else 0.01):
            status = rng.choice([500, 502, 502, 503, 504])
        elif roll < 0.05:
            status = rng.choice([304, 404, 404, 429])
        else:
            status = 200
        ms = int(rng.lognormvariate(4.2 if not checkout else 5.5, 0.7))
        if status >= 500:
            ms += rng.randrange(1_500)
        stamp = f"2024-06-12T{int(seconds // 3600):02d}:{int(seconds // 60 % 60):02d}:{seconds % 60:06.3f}Z"
        method = "POST" if checkout or path == "/api/cart" else "GET"
        yield (f"{stamp} {rng.choice(HOSTS)} {method} {path} {status} {ms}ms "
               f"user=u{rng.randrange(100_000):05d} trace={rng.getrandbits(32):08x}\n")
        if status >= 500 and checkout and rng.random() < 0.5:
            for line in TRACE:
                yield line + "\n"


def write_log(path, scale, rng=None):
    rng = rng or random.Random(20240612)
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(log_lines(int(5_000 * scale), rng))


def write_sample(path, rng):
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(log_lines(rng.randint(1_000, 1_500), rng))
