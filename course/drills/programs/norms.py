import math

import numpy as np

POINTS = [(i % 97 * 0.5, i % 89 * 0.25) for i in range(10_000)]
XS = np.array([x for x, _ in POINTS])
YS = np.array([y for _, y in POINTS])


def lengths_global():
    out = []
    for x, y in POINTS:
        out.append(math.sqrt(x * x + y * y))
    return out


def lengths_local():
    sqrt = math.sqrt
    out = []
    append = out.append
    for x, y in POINTS:
        append(sqrt(x * x + y * y))
    return out


def lengths_numpy():
    return np.hypot(XS, YS)
