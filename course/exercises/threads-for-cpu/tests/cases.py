"""Hidden correctness cases for previews.make_previews: the previews, in the order of the
frames. Self-contained (hidden files are loaded one by one)."""


def frame(rng, width, height, flat=False):
    if flat:
        return width, height, bytes([rng.randrange(256)]) * (width * height)
    pixels = bytearray(rng.randbytes(width * height))
    for _ in range(rng.randint(0, 3)):  # a bright blob or two
        x, y = rng.randrange(width), rng.randrange(height)
        for dy in range(-2, 3):
            for dx in range(-2, 3):
                if 0 <= x + dx < width and 0 <= y + dy < height:
                    pixels[(y + dy) * width + x + dx] = 250
    return width, height, bytes(pixels)


def cases(rng):
    return [
        (([],), {}),
        (([frame(rng, 1, 1)],), {}),
        (([frame(rng, 7, 1), frame(rng, 1, 6), frame(rng, 4, 4, flat=True)],), {}),
        (([frame(rng, rng.randint(2, 40), rng.randint(2, 40)) for _ in range(5)],), {}),
        (([frame(rng, 64, 48) for _ in range(9)],), {}),
    ]
