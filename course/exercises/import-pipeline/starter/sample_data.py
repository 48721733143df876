"""Stand-ins for the outside world of the import pipeline. Read-only.

- rows_for_page(payload) turns a downloaded page into its user rows. The real service
  returns CSV; here perflab_exercise.blocking_fetch(key) returns "data:" + key, and the
  rows are generated from the page number, the same on every run.
"""
import random

COUNTRIES = ["SE", "DE", "FR", "US", "BR", "JP", "NG", "IN", "MX", "KR"]
PLANS = ["free", "free", "free", "team", "business"]
ROWS_PER_PAGE = 500
SYLLABLES = ["an", "bel", "cor", "da", "el", "fin", "gar", "hel", "is", "jo", "ka", "lin", "mar", "no", "ol", "pe", "ri", "sa", "tor", "vi"]
# What people pretending to be staff call themselves.
IMPOSTORS = ["Admin", "adm1n", "Adrnin", "suport", "Support1", "helpdesk_", "He1pdesk", "securlty", "Security",
             "bi11ing", "Billling", "moderat0r", "Moderators", "r00t", "sysadm", "Staff", "0fficial", "Paymemts"]


def _display_name(rng: random.Random) -> str:
    if rng.random() < 0.04:
        return rng.choice(IMPOSTORS)
    name = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3)))
    style = rng.random()
    if style < 0.3:
        return name.capitalize()
    if style < 0.5:
        return f"{name}{rng.randint(1, 99)}"
    if style < 0.6:
        return f"{name}_{rng.choice(SYLLABLES)}"
    return name


def rows_for_page(payload: str) -> list[tuple[int, str, str, str, str, int, bool]]:
    """(user_id, email, display_name, country, plan, signup_day, active) for each user on a page."""
    key = payload.removeprefix("data:")
    page = int(key.rsplit("-", 1)[1])
    rng = random.Random(page)
    rows = []
    for n in range(ROWS_PER_PAGE):
        user_id = 100_000 + page * ROWS_PER_PAGE + n
        display_name = _display_name(rng)
        email = f"{display_name.lower()}.{user_id}@mail.example"
        rows.append((user_id, email, display_name, rng.choice(COUNTRIES), rng.choice(PLANS), rng.randint(17_500, 20_500), rng.random() < 0.9))
    return rows
