"""Hidden correctness cases for checksum.knot32: edge cases, then random buffers.

Lengths include 0, 1, odd numbers, and lengths past 255/256 and 65 535/65 536, where a wrong
integer width or a missing `& 0xFFFF` would first show. Buffers are bytes, plus one
bytearray (any object supporting the buffer protocol should work). Each case runs in a
fresh worker (which compiles or loads the learner's native code), so there are few of them.
"""


def cases(rng):
    buffers = [
        b"",
        b"\x00",
        b"\xff",
        b"perflab",
        bytes(range(256)) * 3 + b"\x01",
        b"\xff" * 65_537,
        bytes(70_001),
        bytearray(rng.randbytes(999)),
    ]
    for length in (2, 257, 65_535, 131_073, rng.randrange(200_000, 400_000) | 1):
        buffers.append(rng.randbytes(length))
    # Text-like data: mostly small byte values.
    buffers.append(bytes(rng.choice(b"etaoin shrdlu\n") for _ in range(50_001)))
    return [((buffer,), {}) for buffer in buffers]
