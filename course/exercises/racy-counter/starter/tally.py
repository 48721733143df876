"""Order tally: totals a day of shop orders with a few worker threads.

    perflab run tally.py
    perflab run tally.py --repeat 20 --switch-interval 0.00001

The day's orders are in orders.csv, so the correct totals never change.
"""
import csv
import threading
from pathlib import Path

WORKERS = 4
ORDERS_FILE = Path(__file__).resolve().parent / "orders.csv"

orders_counted = 0
revenue_cents = 0


def load_orders(path: Path) -> list[tuple[int, int, int]]:
    """(quantity, unit price in cents, discount in percent) for each order in the CSV file."""
    with path.open(newline="") as file:
        return [
            (int(row["quantity"]), int(row["unit_cents"]), int(row["discount_percent"]))
            for row in csv.DictReader(file)
        ]


def line_total_cents(order: tuple[int, int, int]) -> int:
    """What the customer pays for one order line, rounded to the cent."""
    quantity, unit_cents, discount_percent = order
    return round(quantity * unit_cents * (100 - discount_percent) / 100)


def tally(batch: list[tuple[int, int, int]]) -> None:
    """Add a batch of orders to the shared totals."""
    global orders_counted, revenue_cents
    for order in batch:
        counted = orders_counted
        orders_counted = counted + 1
        running = revenue_cents
        running += line_total_cents(order)
        revenue_cents = running


def main() -> None:
    orders = load_orders(ORDERS_FILE)
    # Deal the orders out round-robin: worker k gets orders k, k + WORKERS, k + 2·WORKERS, ...
    workers = [threading.Thread(target=tally, args=(orders[k::WORKERS],)) for k in range(WORKERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(f"orders: {orders_counted}")
    print(f"revenue: {revenue_cents / 100:.2f}")


if __name__ == "__main__":
    main()
