"""Hidden input for the speed check of checksum.knot32: 256 KiB of random bytes."""


def speed_input(rng):
    return (rng.randbytes(256 * 1024),), {}
