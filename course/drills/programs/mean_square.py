# 200 000 readings that share 1 000 distinct float objects, so the input itself is just
# the list's array of pointers (about 1.6 MB).
READINGS = [float(v) for v in range(1000)] * 200


def mean_square_list(values):
    return sum([v * v for v in values]) / len(values)


def mean_square_gen(values):
    return sum(v * v for v in values) / len(values)


if __name__ == "__main__":
    print(f"mean_square_list: {mean_square_list(READINGS)}")
    print(f"mean_square_gen:  {mean_square_gen(READINGS)}")
