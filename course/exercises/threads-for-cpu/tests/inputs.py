"""Hidden input for the cpu-scaling check of previews.make_previews."""


def frame(rng, width, height):
    noise = rng.randbytes(width * height)
    pixels = bytearray(noise[i] % 48 + 20 + (i % width) // 16 for i in range(width * height))
    for _ in range(rng.randint(1, 5)):
        x, y = rng.randrange(width - 8), rng.randrange(height - 8)
        for dy in range(8):
            start = (y + dy) * width + x
            pixels[start:start + 8] = b"\xe6" * 8
    return width, height, bytes(pixels)


def scaling_input(rng):
    """20 frames of 320×240: about 0.6 s of filtering on one CPU (~30 ms a frame)."""
    return ([frame(rng, 320, 240) for _ in range(20)],), {}
