"""How many ways can a walker climb each flight, taking one or two steps at a time?"""


def ways(n):
    if n < 2:
        return 1
    return ways(n - 1) + ways(n - 2)


def plan(flights):
    return [ways(steps) for steps in flights]


def load_flights():
    return [16, 17, 18, 19]


def main():
    flights = load_flights()
    print(plan(flights))


if __name__ == "__main__":
    main()
