"""Replay a load test against the profile-page renderer of a web service."""

_rendered = {}


def render_profile(user_id, locale):
    key = (user_id, locale)
    page = _rendered.get(key)
    if page is None:
        page = f"<html><body><h1>user {user_id}</h1><p>locale {locale}</p></body></html>" + " " * 200
        _rendered[key] = page
    return page


def replay(requests):
    served = 0
    for user_id, locale in requests:
        served += len(render_profile(user_id, locale))
    return served


def main():
    # The load test sends each request as a new visitor, as real traffic does over days.
    requests = ((user_id, "en-GB" if user_id % 3 else "fr-FR") for user_id in range(10_000))
    print(replay(requests) // 1024, "KiB served")


if __name__ == "__main__":
    main()
