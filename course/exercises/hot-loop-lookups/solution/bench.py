"""Zero-argument functions for perflab timeit, to prove a change to wifi.py with numbers:

    perflab timeit bench.py before after

`after` runs your current wifi.py on the demo office. `before` runs a frozen copy of the
original CoverageMap.strongest_signals (below, read-only), so you can compare against it
however many times you edit wifi.py.
"""
import math

import wifi


def original_strongest_signals(plan, access_points):
    # The starter's CoverageMap.strongest_signals and received_dbm, unchanged.
    def received_dbm(distance_m, radio):
        distance_m = max(distance_m, 1.0)
        return radio.tx_power_dbm - radio.reference_loss_db - 10 * radio.path_loss_exponent * math.log10(distance_m)

    class CoverageMap:
        def __init__(self, plan):
            self.plan = plan

        def strongest_signals(self, access_points):
            signals = []
            rows = round(self.plan.depth_m / self.plan.cell_m)
            columns = round(self.plan.width_m / self.plan.cell_m)
            for row in range(rows):
                for column in range(columns):
                    x = (column + 0.5) * self.plan.cell_m
                    y = (row + 0.5) * self.plan.cell_m
                    best = wifi.NOISE_FLOOR_DBM
                    for ap_x, ap_y in access_points:
                        distance = math.sqrt((x - ap_x) ** 2 + (y - ap_y) ** 2)
                        best = max(best, received_dbm(distance, self.plan.radio))
                    signals.append(best)
            return signals

    return CoverageMap(plan).strongest_signals(access_points)


def demo_plan():
    floor = wifi.DEMO_FLOOR
    radio = wifi.Radio(floor["tx_power_dbm"], floor["reference_loss_db"], floor["path_loss_exponent"])
    return wifi.FloorPlan(floor["width_m"], floor["depth_m"], floor["cell_m"], radio)


PLAN = demo_plan()


def before():
    return original_strongest_signals(PLAN, wifi.DEMO_ACCESS_POINTS)


def after():
    return wifi.CoverageMap(PLAN).strongest_signals(wifi.DEMO_ACCESS_POINTS)
