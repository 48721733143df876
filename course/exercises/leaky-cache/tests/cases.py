"""Hidden correctness cases for catalogue.render_product_page: every locale, the ends of
the id range, and random products. Each case runs in a fresh worker, so a cache (bounded or
not) starts empty."""

LOCALES = ["en-GB", "de-DE", "fr-FR", "nl-NL", "sv-SE"]


def cases(rng):
    result = [((1, locale), {}) for locale in LOCALES]
    result.append(((200_000, "en-GB"), {}))
    for _ in range(8):
        result.append(((rng.randint(1, 200_000), rng.choice(LOCALES)), {}))
    return result
