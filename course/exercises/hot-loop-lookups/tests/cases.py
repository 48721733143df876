"""Hidden correctness cases for wifi.survey: edge cases, then random floors."""


def floor(width, depth, cell, tx=20.0, loss=46.0, exponent=3.8):
    return {"width_m": width, "depth_m": depth, "cell_m": cell,
            "tx_power_dbm": tx, "reference_loss_db": loss, "path_loss_exponent": exponent}


def random_floor(rng, cells_wanted):
    cell = rng.choice([0.25, 0.5, 1.0])
    width = round(rng.uniform(0.5, 2.0) * (cells_wanted ** 0.5) * cell)
    depth = round(cells_wanted * cell * cell / max(width, cell))
    exponent = rng.uniform(2.0, 4.5)
    access_points = [(rng.uniform(0, width), rng.uniform(0, depth)) for _ in range(rng.randint(1, 6))]
    return floor(float(width), float(depth), cell, rng.uniform(10, 23), rng.uniform(35, 50), exponent), access_points


def cases(rng):
    result = [
        ((floor(0.0, 0.0, 0.5), [(1.0, 1.0)]), {}),  # no cells at all
        ((floor(1.0, 1.0, 1.0), [(0.5, 0.5)]), {}),  # one cell, access point at its centre
        ((floor(10.0, 5.0, 0.5), []), {}),  # no access points: no signal anywhere
        ((floor(12.0, 8.0, 0.5), [(0.75, 0.25), (0.75, 0.25)]), {}),  # the same point twice
        ((floor(40.0, 3.0, 0.25, exponent=2.0), [(-5.0, 1.0), (45.0, 2.0)]), {}),  # outside the floor
        ((floor(200.0, 120.0, 2.0, tx=5.0, exponent=4.5), [(100.0, 60.0)]), {}),  # weak and none bands
    ]
    for cells_wanted in (50, 800, 5_000):
        result.append((random_floor(rng, cells_wanted), {}))
    return result
