def clamp(value, low, high):
    return max(low, min(value, high))


def normalise(samples):
    return [clamp(s, -1.0, 1.0) for s in samples]


if __name__ == "__main__":
    samples = [((i * 7919) % 4001 - 2000) / 1000 for i in range(500_000)]
    out = normalise(samples)
    print(len(out))
