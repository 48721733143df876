"""Hidden inputs for the speed and growth checks of words.word_frequencies.

The number of distinct words grows with the text (about one new word per ten), as it does
in real writing: that is what makes one scan per distinct word quadratic.
"""

SYLLABLES = ["ba", "ko", "li", "mu", "ne", "ra", "si", "to", "vi", "ze", "da", "fo", "gu", "pe"]
SEPARATORS = [" "] * 10 + [", ", ". ", "\n", "; ", " - ", "? "]


def vocabulary(size, rng):
    words = []
    for index in range(size):
        parts = []
        while True:
            index, digit = divmod(index, len(SYLLABLES))
            parts.append(SYLLABLES[digit])
            if index == 0:
                break
        words.append("".join(parts))
    rng.shuffle(words)
    return words


def text_of(word_count, rng):
    words = vocabulary(max(1, word_count // 10), rng)
    pieces = []
    for word in rng.choices(words, k=word_count):
        pieces.append(word.capitalize() if rng.random() < 0.1 else word)
        pieces.append(rng.choice(SEPARATORS))
    return "".join(pieces)


def speed_input(rng):
    """6 000 words, about 600 distinct: the starter needs ~40 ms, one pass ~1 ms."""
    return (text_of(6_000, rng),), {}


def growth_input(n, rng):
    """A text of n words with about n/10 distinct ones."""
    return (text_of(n, rng),), {}
