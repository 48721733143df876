"""A day of requests to the product pages, replayed against catalogue.py.

    perflab run traffic.py          serves the day and prints what was served

Read-only: this stands in for the web server. It replays requests.log, the day's access log
(one request a line: product id and locale). Most visitors look at a few hundred popular
products; the rest arrive from search engines at any of the shop's 200 000 products, and
most of those pages are asked for once all day.
"""
from pathlib import Path

from catalogue import housekeeping, render_product_page

REQUESTS_FILE = Path(__file__).resolve().parent / "requests.log"


def day_of_requests(path: Path = REQUESTS_FILE):
    """(product id, locale) for each request in the access log, in order."""
    with path.open(encoding="ascii") as log:
        for line in log:
            product_id, locale = line.split()
            yield int(product_id), locale


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
