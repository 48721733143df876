"""Hidden correctness cases for checksum.knot32: edge cases, then random buffers.

Lengths include 0, 1, odd numbers, and numbers around 255/256 and the modulus 65 519, where
a wrong width or a missed reduction would first show. Buffers are bytes, plus one
bytearray (any object supporting the buffer protocol should work).
"""


def cases(rng):
    buffers = [
        b"",
        b"\x00",
        b"\xff",
        b"perflab",
        bytes(range(256)),
        bytes(range(256)) * 3 + b"\x01",
        b"\xff" * 65_521,
        bytes(70_001),
        bytes([0xA5, 0x5A]) * 40_000 + b"\xa5",
        bytearray(rng.randbytes(999)),
    ]
    for length in (2, 3, 255, 256, 257, 4_095, 65_518, 65_519, 65_520, 131_073, rng.randrange(200_000, 400_000) | 1):
        buffers.append(rng.randbytes(length))
    # Mostly small values, as in text: the low byte of b matters more than the data.
    buffers.append(bytes(rng.choice(b"etaoin shrdlu\n") for _ in range(50_001)))
    return [((buffer,), {}) for buffer in buffers]
