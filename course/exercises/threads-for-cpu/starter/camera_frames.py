"""Builds the night's frames from the wildlife cameras for previews.py. Read-only.

A frame is (width, height, pixels): `pixels` is width × height bytes of grey levels, row
after row (0 black, 255 white). The frames are generated — a dim gradient with sensor
noise and a few bright blobs (eyes, mostly) — so they are the same on every machine.
"""
import random


def make_frame(seed: int, width: int = 320, height: int = 240) -> tuple[int, int, bytes]:
    rng = random.Random(seed)
    noise = rng.randbytes(width * height)
    blobs = [(rng.randrange(width), rng.randrange(height), rng.randint(2, 9)) for _ in range(rng.randint(1, 6))]
    pixels = bytearray(width * height)
    for y in range(height):
        row = y * width
        base = 20 + (y * 40) // height
        for x in range(width):
            pixels[row + x] = base + (x * 30) // width + noise[row + x] % 24
    for bx, by, radius in blobs:
        for y in range(max(0, by - radius), min(height, by + radius + 1)):
            for x in range(max(0, bx - radius), min(width, bx + radius + 1)):
                if (x - bx) ** 2 + (y - by) ** 2 <= radius * radius:
                    pixels[y * width + x] = 230
    return width, height, bytes(pixels)


def night_of_frames(count: int = 8) -> list[tuple[int, int, bytes]]:
    return [make_frame(seed) for seed in range(count)]
