"""Verifies a backup: recomputes every block's knot32 checksum and compares it with the manifest.

    perflab run checksum.py
    perflab profile checksum.py

knot32 is the storage team's own checksum; its exact definition is in exercise.md and in
the code below. The manifest's values were written with this same definition, so any
faster version must give bit-for-bit the same numbers.
"""
import backup_blocks


def step(a: int, b: int, byte: int) -> tuple[int, int]:
    """Fold one byte into the running pair (a, b): both are 16-bit sums (0 to 65535)."""
    a = (a + (byte ^ (b & 0xFF)) + 1) & 0xFFFF
    b = (b + a) & 0xFFFF
    return a, b


def knot32(data: bytes) -> int:
    """The knot32 checksum of `data`: a 32-bit number, b in the high half and a in the low."""
    a, b = 1, 0
    for byte in data:
        a, b = step(a, b, byte)
    return (b << 16) | a


def main() -> None:
    damaged = []
    for index, expected in enumerate(backup_blocks.MANIFEST):
        actual = knot32(backup_blocks.block(index))
        if actual != expected:
            damaged.append((index, expected, actual))
    total = backup_blocks.BLOCK_COUNT * backup_blocks.BLOCK_SIZE
    print(f"checked {backup_blocks.BLOCK_COUNT} blocks, {total // 1024} KiB: "
          f"{backup_blocks.BLOCK_COUNT - len(damaged)} intact, {len(damaged)} damaged")
    for index, expected, actual in damaged:
        print(f"  block {index}: manifest says {expected:#010x}, block gives {actual:#010x}")


if __name__ == "__main__":
    main()
