"""Hidden correctness cases for words.word_frequencies: edge cases, then random texts."""

SYLLABLES = ["ba", "ko", "li", "mu", "ne", "ra", "si", "to", "vi", "ze"]
SEPARATORS = [" ", " ", " ", " ", ", ", ". ", "!", "?", "\n", "\t", "-", "'", '"', "(", ")", "/", ":", "  ", "\r\n", "_"]

EDGE_TEXTS = [
    "",
    "hello",
    "   \n\t  ",
    "...!?;:--",
    "Hello, hello! HELLO?",
    "don't stop-believing; it's 9am at gate B12",
    "route66 route 66 Route66",
    "a\nb\na\r\nb a",
    "snake_case and kebab-case and CamelCase",
    "(parenthesised) [bracketed] {braced} <angled>",
    "x" * 500,
    "42",
    "  leading and trailing spaces  ",
    "one.two.three one",
]


def random_text(rng, word_count, vocabulary_size):
    vocabulary = set()
    while len(vocabulary) < vocabulary_size:
        vocabulary.add("".join(rng.choices(SYLLABLES, k=rng.randint(1, 4))) + rng.choice(["", "", "", str(rng.randint(0, 99))]))
    vocabulary = sorted(vocabulary)
    pieces = []
    for _ in range(word_count):
        word = rng.choice(vocabulary)
        style = rng.random()
        if style < 0.1:
            word = word.upper()
        elif style < 0.25:
            word = word.capitalize()
        pieces.append(word)
        pieces.append(rng.choice(SEPARATORS))
    if rng.random() < 0.5:
        pieces.insert(0, rng.choice(SEPARATORS))
    return "".join(pieces)


def cases(rng):
    result = [((text,), {}) for text in EDGE_TEXTS]
    for word_count, vocabulary_size in [(1, 1), (5, 3), (40, 10), (300, 60), (2000, 400), (5000, 1500)]:
        result.append(((random_text(rng, word_count, vocabulary_size),), {}))
    return result
