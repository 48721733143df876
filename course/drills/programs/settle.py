import logging

logging.basicConfig(level=logging.WARNING)  # DEBUG records are never shown
log = logging.getLogger("billing.settle")


def settle(invoices):
    total = 0
    for inv in invoices:
        log.debug(f"settling {inv!r} running total={total}")
        total += inv["amount"] - inv["discount"]
    return total


if __name__ == "__main__":
    invoices = [
        {"id": i, "customer": f"C{i % 900:04d}", "amount": 100 + i % 50, "discount": i % 7}
        for i in range(50_000)
    ]
    print(settle(invoices))
