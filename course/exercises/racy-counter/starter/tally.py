"""Order tally: totals a day of shop orders with a few worker threads.

    perflab run tally.py
    perflab run tally.py --repeat 20 --switch-interval 0.00001

The orders are generated from a fixed seed, so the correct totals never change.
"""
import random
import threading

WORKERS = 4
ORDER_COUNT = 20_000

orders_counted = 0
revenue_cents = 0


def make_orders(count: int) -> list[tuple[int, int, int]]:
    """(quantity, unit price in cents, discount in percent) for each order, always the same."""
    rng = random.Random(7)
    return [(rng.randint(1, 5), rng.randint(199, 9_999), rng.choice([0, 0, 0, 5, 10, 20])) for _ in range(count)]


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
    orders = make_orders(ORDER_COUNT)
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
