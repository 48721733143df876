"""Hidden data for the hang check: write_build_times(path, rng) writes a night's build
durations in the format of starter/build_times.txt, from the verification's fresh seed."""


def write_build_times(path, rng):
    count = rng.randint(20, 40)
    with open(path, "w", encoding="ascii") as out:
        out.write("# seconds per nightly build, oldest first\n")
        for _ in range(count):
            # Mostly five to eight minutes; now and then a cold cache takes three times as long.
            seconds = rng.lognormvariate(5.9, 0.25) * (3 if rng.random() < 0.08 else 1)
            out.write(f"{seconds:.1f}\n")
