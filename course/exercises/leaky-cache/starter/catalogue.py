"""Product pages for the web shop: render_product_page(product_id, locale) -> HTML.

    perflab run traffic.py          replays a day of requests against this module

Loading a product and laying out its page is the expensive part of a request, and popular
products are asked for again and again, so finished pages are kept and reused.
"""
import gc
import random

LOCALES = ["en-GB", "de-DE", "fr-FR", "nl-NL", "sv-SE"]
CURRENCY = {"en-GB": "£", "de-DE": "€", "fr-FR": "€", "nl-NL": "€", "sv-SE": "kr"}
DECIMAL_COMMA = {"de-DE", "fr-FR", "nl-NL", "sv-SE"}
SYLLABLES = ["lum", "ka", "vor", "ith", "sen", "dra", "mo", "quel", "tar", "iso", "fen", "bro"]
KINDS = ["kettle", "lamp", "backpack", "chair", "speaker", "blender", "tent", "jacket", "router", "drill"]
SPECS = ["Weight", "Width", "Height", "Depth", "Colour", "Material", "Power", "Warranty",
         "Battery", "Noise", "Capacity", "Origin", "Finish", "Cable", "Rating", "Series"]
COLOURS = ["graphite", "sand", "moss", "ink blue", "coral", "chalk", "rust", "slate"]
MATERIALS = ["oak", "steel", "recycled nylon", "ceramic", "aluminium", "bamboo", "wool", "glass"]

DELIVERY = {
    "en-GB": "Free delivery on orders over £40. Returns accepted within 30 days of delivery.",
    "de-DE": "Kostenlose Lieferung ab 40 €. Rückgabe innerhalb von 30 Tagen nach Lieferung.",
    "fr-FR": "Livraison gratuite dès 40 €. Retours acceptés sous 30 jours après la livraison.",
    "nl-NL": "Gratis bezorging vanaf € 40. Retourneren kan tot 30 dagen na levering.",
    "sv-SE": "Fri frakt vid köp över 400 kr. Returrätt i 30 dagar efter leverans.",
}

# Pages already rendered, by (product_id, locale).
_PAGE_CACHE = {}


def site_chrome(locale: str) -> tuple[str, str]:
    """The header (the department menu) and footer every page of the shop shares, in `locale`."""
    menu = []
    for kind in KINDS:
        menu.append(f'    <li><a href="/{kind}?lang={locale}">{kind.title()}s</a>')
        menu.append("      <ul>")
        for material in MATERIALS:
            slug = f"{material}-{kind}".replace(" ", "-")
            menu.append(f'        <li><a href="/{kind}/{slug}?lang={locale}">{material.title()} {kind}s</a></li>')
        menu.append("      </ul>")
        menu.append("    </li>")
    legal = [f'    <li><a href="/help/{topic}?lang={locale}">{topic.replace("-", " ").title()}</a></li>'
             for topic in ["delivery", "returns", "warranty", "privacy", "cookies", "terms-of-sale",
                           "accessibility", "contact-us", "gift-cards", "store-finder", "careers", "press"]]
    header = "\n".join(['  <nav class="departments">', "  <ul>", *menu, "  </ul>", "  </nav>"])
    footer = "\n".join(["  <footer>", "  <ul>", *legal, "  </ul>", f"  <p>{DELIVERY[locale]}</p>", "  </footer>"])
    return header, footer


CHROME = {locale: site_chrome(locale) for locale in LOCALES}


def load_product(product_id: int) -> dict:
    """The product's record, as the database would return it (made up from its id)."""
    rng = random.Random(product_id)
    name = "".join(rng.choice(SYLLABLES) for _ in range(2 + product_id % 2)).capitalize()
    specs = {}
    for spec in SPECS:
        if spec == "Colour":
            specs[spec] = rng.choice(COLOURS)
        elif spec in ("Material", "Finish"):
            specs[spec] = rng.choice(MATERIALS)
        else:
            specs[spec] = round(rng.random() * 400, 2)
    return {
        "id": product_id,
        "name": f"{name} {rng.choice(KINDS)}",
        "price": round(4 + rng.random() * 900, 2),
        "stock": rng.randrange(250),
        "specs": specs,
        "blurb": " ".join(rng.choices(SYLLABLES + KINDS + COLOURS, k=40)),
        "related": [rng.randrange(1, 200_001) for _ in range(8)],
    }


def format_number(value: float, locale: str) -> str:
    text = f"{value:,.2f}"
    if locale in DECIMAL_COMMA:
        text = text.replace(",", " ").replace(".", ",")
    return text


def render_product_page(product_id: int, locale: str) -> str:
    """The product's page in `locale`, as HTML."""
    key = (product_id, locale)
    if key in _PAGE_CACHE:
        return _PAGE_CACHE[key]
    product = load_product(product_id)
    rows = []
    for spec, value in product["specs"].items():
        shown = format_number(value, locale) if isinstance(value, float) else value
        rows.append(f"    <tr><th>{spec}</th><td>{shown}</td></tr>")
    price = format_number(product["price"], locale)
    stock = f"{product['stock']} in stock" if product["stock"] else "out of stock"
    page = "\n".join([
        "<!doctype html>",
        f'<html lang="{locale}">',
        f"<head><title>{product['name']} | The Shop</title></head>",
        "<body>",
        CHROME[locale][0],
        f"  <h1>{product['name']}</h1>",
        f'  <p class="price">{CURRENCY[locale]} {price}</p>',
        f'  <p class="stock">{stock}</p>',
        f"  <p>{product['blurb']}</p>",
        '  <ul class="related">',
        *[f'    <li><a href="/products/{other}?lang={locale}">More like this ({other})</a></li>'
          for other in product["related"]],
        "  </ul>",
        '  <table class="specs">',
        *rows,
        "  </table>",
        f'  <a href="/products/{product_id}?lang={locale}">Permalink</a>',
        CHROME[locale][1],
        "</body>",
        "</html>",
    ])
    _PAGE_CACHE[key] = page
    return page


def housekeeping() -> None:
    """Called by the server every 5 000 requests."""
    # Memory kept growing in production, so we run the garbage collector by hand.
    gc.collect()
