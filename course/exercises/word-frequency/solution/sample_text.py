"""Builds the text that words.py analyses: a made-up archive of support-ticket notes.

Read-only. The text is generated (not shipped as a file) so it is the same on every
machine: the same seed always gives the same text.
"""
import random

SYLLABLES = ["ba", "ko", "li", "mu", "ne", "ra", "si", "to", "vi", "ze", "da", "fo", "gu", "pe"]
SEPARATORS = [" "] * 12 + [", ", ". ", "! ", "? ", "; ", " - ", "\n", ": ", " (", ") "]


def invented_word(index: int) -> str:
    """A distinct pronounceable word for every index (index written in base 14, one syllable per digit)."""
    parts = []
    while True:
        index, digit = divmod(index, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
        if index == 0:
            return "".join(parts)


def make_text(word_count: int = 50_000, vocabulary_size: int = 5_000, seed: int = 2024) -> str:
    rng = random.Random(seed)
    vocabulary = [invented_word(i) for i in range(vocabulary_size)]
    rng.shuffle(vocabulary)
    # Some words are far more common than others, as in real writing.
    weights = [1 / (rank + 1) ** 0.6 for rank in range(vocabulary_size)]
    pieces = []
    for word in rng.choices(vocabulary, weights=weights, k=word_count):
        if rng.random() < 0.08:
            word = word.capitalize()
        elif rng.random() < 0.01:
            word = word.upper()
        pieces.append(word)
        pieces.append(rng.choice(SEPARATORS))
    return "".join(pieces)
