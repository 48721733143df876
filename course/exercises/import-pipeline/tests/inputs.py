"""Hidden inputs for the import-pipeline checks."""

SYLLABLES = ["ab", "bo", "cy", "de", "ev", "fa", "gi", "ho", "ul", "ja", "ke", "lo", "mi", "nu", "or", "pa", "qu", "re", "si", "ty"]
IMPOSTORS = ["ADMIN", "admln", "4dmin", "supp0rt", "Suppport", "help-desk", "helpdesc", "5ecurity", "secur1ty",
             "biling", "billing!", "moder4tor", "mod3rator", "roott", "sysadmln", "staf", "offical", "payment5",
             "Administrat0r", "st4ff"]


def display_name(rng):
    if rng.random() < 0.05:
        return rng.choice(IMPOSTORS)
    name = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
    style = rng.random()
    if style < 0.25:
        return name.capitalize()
    if style < 0.45:
        return f"{name}{rng.randint(0, 999)}"
    if style < 0.55:
        return f"{name}.{rng.choice(SYLLABLES)}"
    return name


def rows(rng, count):
    first_id = rng.randrange(1_000, 1_000_000)
    return [(first_id + n, display_name(rng)) for n in range(count)]


def overlap_input(rng):
    """Eight page keys, in a random order of pages."""
    pages = rng.sample(range(100), 8)
    return ([f"partner/users/page-{page}" for page in pages],), {}


def scaling_input(rng):
    """6 000 rows: about 0.4 s of edit distances for one CPU."""
    return (rows(rng, 6_000),), {}
