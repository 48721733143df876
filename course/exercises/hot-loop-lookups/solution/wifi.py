"""Wi-Fi coverage survey for an office floor: how much of it gets a usable signal?

    perflab run wifi.py                   surveys the demo office and prints the bands
    perflab timeit bench.py before after  times your survey against the original

The floor is cut into square cells. Every cell hears every access point, and the strongest
signal wins. Signal strength falls with distance, following the usual log-distance model:

    received (dBm) = transmit power - loss at 1 m - 10 * n * log10(distance in metres)

where n, the path-loss exponent, says how quickly walls and furniture absorb the signal.
"""
import math

# Bands, strongest first: a cell belongs to the first band whose threshold it reaches.
BANDS = [("excellent", -60.0), ("good", -70.0), ("fair", -80.0), ("weak", -90.0)]
# Below the weakest band there is no usable signal; nothing is ever weaker than this.
NOISE_FLOOR_DBM = -100.0

DEMO_FLOOR = {
    "width_m": 80.0, "depth_m": 50.0, "cell_m": 0.25,
    "tx_power_dbm": 20.0, "reference_loss_db": 46.0, "path_loss_exponent": 3.8,
}
DEMO_ACCESS_POINTS = [(12.0, 10.0), (40.0, 38.0), (70.0, 9.0), (71.5, 45.0)]


class Radio:
    def __init__(self, tx_power_dbm: float, reference_loss_db: float, path_loss_exponent: float):
        self.tx_power_dbm = tx_power_dbm
        self.reference_loss_db = reference_loss_db
        self.path_loss_exponent = path_loss_exponent


class FloorPlan:
    def __init__(self, width_m: float, depth_m: float, cell_m: float, radio: Radio):
        self.width_m = width_m
        self.depth_m = depth_m
        self.cell_m = cell_m
        self.radio = radio


def received_dbm(distance_m: float, radio: Radio) -> float:
    """Signal strength at `distance_m` metres from an access point (the model, for reading;
    the hot loop below computes the same thing inline)."""
    distance_m = max(distance_m, 1.0)  # the model holds from 1 m outwards
    return radio.tx_power_dbm - radio.reference_loss_db - 10 * radio.path_loss_exponent * math.log10(distance_m)


class CoverageMap:
    def __init__(self, plan: FloorPlan):
        self.plan = plan

    def strongest_signals(self, access_points: list[tuple[float, float]]) -> list[float]:
        """The strongest signal heard in each cell, row by row, in dBm."""
        # Everything the inner loop needs, looked up once and held in local variables:
        # the same values, without a chain of attribute lookups or a call per access point.
        plan = self.plan
        radio = plan.radio
        cell = plan.cell_m
        at_one_metre = radio.tx_power_dbm - radio.reference_loss_db
        per_decade = 10 * radio.path_loss_exponent
        sqrt = math.sqrt
        log10 = math.log10
        noise_floor = NOISE_FLOOR_DBM
        rows = round(plan.depth_m / cell)
        columns = round(plan.width_m / cell)
        xs = [(column + 0.5) * cell for column in range(columns)]
        signals = []
        add = signals.append
        for row in range(rows):
            y = (row + 0.5) * cell
            for x in xs:
                best = noise_floor
                for ap_x, ap_y in access_points:
                    dx = x - ap_x
                    dy = y - ap_y
                    distance = sqrt(dx * dx + dy * dy)
                    if distance < 1.0:
                        distance = 1.0  # the model holds from 1 m outwards
                    signal = at_one_metre - per_decade * log10(distance)
                    if signal > best:
                        best = signal
                add(best)
        return signals


def survey(floor: dict, access_points: list[tuple[float, float]]) -> dict:
    """How many cells of `floor` fall in each band, and the weakest cell's signal.

    `floor` holds the floor's size and cell size in metres and the radios' settings (see
    DEMO_FLOOR); `access_points` are (x, y) positions in metres.
    """
    radio = Radio(floor["tx_power_dbm"], floor["reference_loss_db"], floor["path_loss_exponent"])
    plan = FloorPlan(floor["width_m"], floor["depth_m"], floor["cell_m"], radio)
    signals = CoverageMap(plan).strongest_signals(access_points)
    counts = {name: 0 for name, _ in BANDS}
    counts["none"] = 0
    for signal in signals:
        for name, threshold in BANDS:
            if signal >= threshold:
                counts[name] += 1
                break
        else:
            counts["none"] += 1
    counts["weakest_dbm"] = min(signals) if signals else None
    return counts


def main() -> None:
    result = survey(DEMO_FLOOR, DEMO_ACCESS_POINTS)
    cells = sum(count for name, count in result.items() if name != "weakest_dbm")
    print(f"{cells} cells of {DEMO_FLOOR['cell_m']} m, {len(DEMO_ACCESS_POINTS)} access points")
    for name, _ in BANDS + [("none", None)]:
        print(f"{name:>10}: {result[name]:6d} cells ({result[name] / cells:.1%})")
    print(f"weakest cell: {result['weakest_dbm']:.1f} dBm")


if __name__ == "__main__":
    main()
