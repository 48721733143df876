"""Hidden data for the memory check: write_requests(path, rng) writes a day's access log like
starter/requests.log, from the verification's fresh seed: 26 000 to 34 000 requests, 70 % of
them for a few hundred popular products (the most popular twice as often as the second…),
the rest for any of the 200 000 products. The check puts it in requests.log's place and
compares what traffic.py prints with what it prints on the reference solution.
"""
LOCALES = ["en-GB", "de-DE", "fr-FR", "nl-NL", "sv-SE"]
POPULAR = 300
CATALOGUE_SIZE = 200_000


def write_requests(path, rng):
    count = rng.randint(26_000, 34_000)
    popular = rng.sample(range(1, CATALOGUE_SIZE + 1), POPULAR)
    weights = [1 / (rank + 1) for rank in range(POPULAR)]
    favourites = iter(rng.choices(popular, weights=weights, k=count))
    with open(path, "w", encoding="ascii") as out:
        for _ in range(count):
            product_id = next(favourites) if rng.random() < 0.7 else rng.randint(1, CATALOGUE_SIZE)
            out.write(f"{product_id} {rng.choice(LOCALES)}\n")
