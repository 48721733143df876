"""Hidden correctness cases for pipeline.flag_impersonators.

Self-contained (hidden files are loaded one by one): small cases, where a solution may skip
the pool, and larger ones that go through it. Results must be in the order of the rows.
"""

SYLLABLES = ["ab", "bo", "cy", "de", "ev", "fa", "gi", "ho", "ul", "ja", "ke", "lo", "mi", "nu", "or", "pa", "qu", "re", "si", "ty"]
IMPOSTORS = ["ADMIN", "admln", "4dmin", "supp0rt", "Suppport", "help-desk", "helpdesc", "5ecurity", "secur1ty",
             "biling", "billing!", "moder4tor", "mod3rator", "roott", "sysadmln", "staf", "offical", "payment5",
             "Administrat0r", "st4ff"]
# Names right at the edges of the rule: one edit away from a short reserved name (flagged),
# two away from a short one (not flagged), two away from a long one (flagged).
EDGES = ["admin", "admins", "adm", "rot", "root", "roots", "rooter", "staff", "stuff", "stuffy", "helpdesk",
         "hlpdsk", "administrator", "administrat", "sup-port", "s.u.p.p.o.r.t", "", "1337", "___", "Ādmin"]


def display_name(rng):
    if rng.random() < 0.08:
        return rng.choice(IMPOSTORS)
    name = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
    return name.capitalize() if rng.random() < 0.3 else name


def rows(rng, count):
    first_id = rng.randrange(1_000, 1_000_000)
    return [(first_id + n, display_name(rng)) for n in range(count)]


def cases(rng):
    return [
        (([],), {}),
        (([(1, "adm1n")],), {}),
        (([(10 + n, name) for n, name in enumerate(EDGES)],), {}),
        ((rows(rng, 50),), {}),
        ((rows(rng, 1_000),), {}),
        ((rows(rng, 2_501),), {}),
    ]
