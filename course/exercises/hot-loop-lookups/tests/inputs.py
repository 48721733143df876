"""Hidden input for the speed check of wifi.survey: a floor of 16 000 cells (0.25 m) heard
from four or five access points, so the inner loop runs 64 000 to 80 000 times per call."""


def speed_input(rng):
    floor = {"width_m": 40.0, "depth_m": 25.0, "cell_m": 0.25,
             "tx_power_dbm": rng.uniform(15, 23), "reference_loss_db": rng.uniform(40, 48),
             "path_loss_exponent": rng.uniform(3.0, 4.2)}
    access_points = [(rng.uniform(0, 40), rng.uniform(0, 25)) for _ in range(rng.randint(4, 5))]
    return (floor, access_points), {}
