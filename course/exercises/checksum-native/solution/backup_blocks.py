"""The backup that checksum.py verifies: blocks of a made-up disk image and its manifest.

Read-only. The blocks are generated (not shipped) so they are the same on every machine: the
same seed always gives the same bytes. The manifest holds the knot32 checksum recorded for
each block when the backup was written; one block has since been damaged in storage.
"""
import random

BLOCK_SIZE = 256 * 1024
BLOCK_COUNT = 16
DAMAGED_BLOCK = 11

# knot32 of each block as it was written, in order.
MANIFEST = [
    0x395e25c4, 0x15e9c4c7, 0x989a272d, 0x85e10f24, 0x0f9ec7af, 0x04d24cdc, 0xbdd35cd3, 0x844d03d2,
    0x721fdac6, 0x08f07bfb, 0x71c725aa, 0xfb7d9462, 0xbc39de06, 0xdd7458cc, 0x63035eaf, 0x24caef64,
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
