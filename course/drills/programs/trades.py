SYMBOLS = ["ACME", "GLOBEX", "INITECH", "UMBRELLA"]
N = 20_000


class Trade:
    def __init__(self, trade_id, symbol, qty, price):
        self.trade_id = trade_id
        self.symbol = symbol
        self.qty = qty
        self.price = price


class SlottedTrade:
    __slots__ = ("trade_id", "symbol", "qty", "price")

    def __init__(self, trade_id, symbol, qty, price):
        self.trade_id = trade_id
        self.symbol = symbol
        self.qty = qty
        self.price = price


def load_plain(n):
    return [Trade(i, SYMBOLS[i % 4], i % 500, 100.0 + i % 97) for i in range(n)]


def load_slotted(n):
    return [SlottedTrade(i, SYMBOLS[i % 4], i % 500, 100.0 + i % 97) for i in range(n)]


if __name__ == "__main__":
    plain = load_plain(N)
    slotted = load_slotted(N)
    print(len(plain), len(slotted))
