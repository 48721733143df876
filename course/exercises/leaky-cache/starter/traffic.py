"""A day of requests to the product pages, replayed against catalogue.py.

    perflab run traffic.py          serves the day and prints what was served

Read-only: this stands in for the web server. Most visitors look at a few hundred popular
products; the rest arrive from search engines at any of the shop's 200 000 products, and
most of those pages are asked for once all day.
"""
import random

from catalogue import LOCALES, housekeeping, render_product_page

POPULAR = 300
CATALOGUE_SIZE = 200_000


def day_of_requests(count: int = 30_000, seed: int = 11):
    rng = random.Random(seed)
    popular = rng.sample(range(1, CATALOGUE_SIZE + 1), POPULAR)
    # The most popular product gets twice the visits of the second, three times the third's...
    weights = [1 / (rank + 1) for rank in range(POPULAR)]
    favourites = iter(rng.choices(popular, weights=weights, k=count))
    for _ in range(count):
        if rng.random() < 0.7:
            product_id = next(favourites)
        else:
            product_id = rng.randint(1, CATALOGUE_SIZE)
        yield product_id, rng.choice(LOCALES)


def main() -> None:
    served = 0
    bytes_sent = 0
    distinct = set()
    for product_id, locale in day_of_requests():
        page = render_product_page(product_id, locale)
        served += 1
        bytes_sent += len(page)
        distinct.add((product_id, locale))
        if served % 5_000 == 0:
            housekeeping()
    print(f"served {served} requests for {len(distinct)} distinct pages, {bytes_sent / 1e6:.1f} MB of HTML")


if __name__ == "__main__":
    main()
