"""Summarise a month of card payments: totals per day, the largest payment, the average."""

import re


def parse_amount(text):
    return float(re.sub(r"[^0-9.]", "", text))


def daily_totals(rows):
    totals = {}
    for day, amount in rows:
        totals[day] = totals.get(day, 0.0) + parse_amount(amount)
    return totals


def largest_payment(rows):
    return max(rows, key=lambda row: parse_amount(row[1]))


def average_payment(rows):
    return sum(parse_amount(amount) for _, amount in rows) / len(rows)


def summary(rows):
    return daily_totals(rows), largest_payment(rows), average_payment(rows)


def load_rows(count):
    return [(f"2025-03-{i % 31 + 1:02d}", f"£{(i * 37) % 9000:,}.{i % 100:02d}") for i in range(count)]


if __name__ == "__main__":
    totals, largest, average = summary(load_rows(10_000))
    print(len(totals), "days; largest", largest[1], "; average", round(average, 2))
