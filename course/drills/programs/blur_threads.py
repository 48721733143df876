"""A CPU-bound box blur, row by row, on a pool of 8 threads."""

from concurrent.futures import ThreadPoolExecutor


def make_image(width, height):
    ramp = [x % 256 for x in range(width)]
    return [ramp[y:] + ramp[:y] for y in range(height)]  # row y: the ramp shifted by y


def blur_row(row):
    out = []
    for i in range(1, len(row) - 1):
        out.append((row[i - 1] + row[i] + row[i + 1]) // 3)
    return out


def blur_image(rows):
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(blur_row, rows))


if __name__ == "__main__":
    image = make_image(4_000, 300)
    blurred = blur_image(image)
    print(len(blurred), "rows of", len(blurred[0]))
