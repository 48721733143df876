"""Hidden input for the overlap check of dashboard.render_dashboard."""

PANELS = ["profile", "orders", "invoices", "messages", "recommendations", "support"]


def overlap_input(rng):
    """One user, all six panels in a random order: six blocking fetches."""
    panels = PANELS[:]
    rng.shuffle(panels)
    return (rng.randrange(1, 10**6), panels), {}
