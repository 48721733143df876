"""Hidden data for the race check: write_orders(path, rng) writes a day of orders like
starter/orders.csv — 15 000 to 25 000 of them, drawn from the verification's fresh seed — and
the check puts it in orders.csv's place. The expected totals are what the reference solution
prints for that file, so they cannot be known in advance.
"""


def write_orders(path, rng):
    count = rng.randint(15_000, 25_000)
    with open(path, "w", encoding="ascii") as out:
        out.write("quantity,unit_cents,discount_percent\n")
        for _ in range(count):
            out.write(f"{rng.randint(1, 5)},{rng.randint(199, 9_999)},{rng.choice([0, 0, 0, 5, 10, 20])}\n")
