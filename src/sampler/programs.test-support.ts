/** Python programs the sampler's tests run (never shipped: excluded from the build). */

/** `burn(seconds)`: a CPU-bound loop that holds the GIL most of the time for `seconds` of wall time. */
export const BURN_FUNCTION = `
def burn(seconds):
    import time
    end = time.monotonic() + seconds
    total = 0
    while time.monotonic() < end:
        for i in range(2000):
            total += i * i
    return total
`;
