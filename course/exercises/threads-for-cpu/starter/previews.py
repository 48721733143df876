"""Night-vision previews for the wildlife cameras: denoise each frame, then stretch its
contrast so the animals stand out.

    perflab run previews.py         filter a night's 8 frames, one by one and on the pool
    perflab profile previews.py

`preview(frame)` is pure Python, pixel by pixel: CPU-bound. `make_previews(frames)` filters
a batch on a pool of worker threads; `previews_one_by_one(frames)` is the plain serial
loop it is meant to beat.
"""
import os
import time
from concurrent.futures import ThreadPoolExecutor

from camera_frames import night_of_frames

Frame = tuple[int, int, bytes]  # (width, height, grey levels row after row)


def denoise(width: int, height: int, pixels: bytes) -> bytearray:
    """3×3 weighted blur (weights 1 2 1 / 2 4 2 / 1 2 1, out of 16); edges repeat."""
    out = bytearray(width * height)
    last_x, last_y = width - 1, height - 1
    for y in range(height):
        above = (y - 1 if y > 0 else 0) * width
        here = y * width
        below = (y + 1 if y < last_y else last_y) * width
        for x in range(width):
            left = x - 1 if x > 0 else 0
            right = x + 1 if x < last_x else last_x
            total = (
                pixels[above + left] + 2 * pixels[above + x] + pixels[above + right]
                + 2 * pixels[here + left] + 4 * pixels[here + x] + 2 * pixels[here + right]
                + pixels[below + left] + 2 * pixels[below + x] + pixels[below + right]
            )
            out[here + x] = (total + 8) // 16
    return out


def stretch_contrast(pixels: bytearray) -> bytes:
    """Map the darkest level to 0 and the brightest to 255, linearly."""
    low, high = min(pixels, default=0), max(pixels, default=0)
    if high == low:
        return bytes(pixels)
    scale = 255 / (high - low)
    table = bytes(round((level - low) * scale) if low <= level <= high else 0 for level in range(256))
    return pixels.translate(table)


def preview(frame: Frame) -> Frame:
    width, height, pixels = frame
    return width, height, stretch_contrast(denoise(width, height, pixels))


def previews_one_by_one(frames: list[Frame]) -> list[Frame]:
    """The serial version: one frame after another, in one thread."""
    return [preview(frame) for frame in frames]


def make_previews(frames: list[Frame]) -> list[Frame]:
    """The previews of `frames`, in the same order, using every CPU."""
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        return list(pool.map(preview, frames))


def main() -> None:
    frames = night_of_frames()
    started = time.perf_counter()
    serial = previews_one_by_one(frames)
    serial_s = time.perf_counter() - started
    started = time.perf_counter()
    pooled = make_previews(frames)
    pooled_s = time.perf_counter() - started
    assert pooled == serial, "the pool's previews differ from the serial ones"
    print(f"{len(frames)} frames of {frames[0][0]}x{frames[0][1]} on a machine with {os.cpu_count()} CPUs")
    print(f"one by one:  {serial_s:.2f} s")
    print(f"on the pool: {pooled_s:.2f} s  ({serial_s / pooled_s:.2f}x)")


if __name__ == "__main__":
    main()
