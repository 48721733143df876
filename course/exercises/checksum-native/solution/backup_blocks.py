"""The backup that checksum.py verifies: blocks of a made-up disk image and its manifest.

Read-only. The blocks are generated (not shipped) so they are the same on every machine: the
same seed always gives the same bytes. The manifest holds the knot32 checksum recorded for
each block when the backup was written; one block has since been damaged in storage.
"""
import random

BLOCK_SIZE = 96 * 1024
BLOCK_COUNT = 16
DAMAGED_BLOCK = 11

# knot32 of each block as it was written, in order.
MANIFEST = [
    0x0076078d, 0x9ea7672a, 0x7f1b09ed, 0x1ee626f6, 0xa6b8948e, 0x92cb7f6d, 0xa0f45ff6, 0x450eed1c,
    0xa3d1bee4, 0x079894c9, 0x2d62dd93, 0x58f9e69e, 0xfe912f8d, 0xcc4f77b1, 0x2cb699ed, 0x29c7c036,
]


def block(index: int) -> bytes:
    """The bytes of block `index` as they are stored now (one of them with a flipped bit)."""
    rng = random.Random(7_000 + index)
    # Disk images are not uniformly random: runs of zero bytes (free space) between data.
    data = bytearray(rng.randbytes(BLOCK_SIZE))
    for _ in range(6):
        start = rng.randrange(BLOCK_SIZE)
        length = min(rng.randrange(512, 4096), BLOCK_SIZE - start)
        data[start:start + length] = bytes(length)
    if index == DAMAGED_BLOCK:
        data[rng.randrange(BLOCK_SIZE)] ^= 0x10
    return bytes(data)
