"""Count how often each word appears in a generated corpus, then print the ten most common.

This version is deliberately slow: for every distinct word it scans the whole text again
with str.count. `perflab profile examples/word_frequency.py` shows where the time goes.
"""
import random

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pu", "da", "fe"]


def make_corpus(word_count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    vocabulary = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(4000)})
    # A few words are very common and most are rare, as in real text.
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    return rng.choices(vocabulary, weights=weights, k=word_count)


def word_frequencies(words: list[str]) -> dict[str, int]:
    # Each word is wrapped in brackets so that counting "<ka>" cannot match inside "<kalo>".
    text = "".join(f"<{word}>" for word in words)
    frequencies = {}
    for word in set(words):
        frequencies[word] = text.count(f"<{word}>")
    return frequencies


def main() -> None:
    words = make_corpus(80_000)
    frequencies = word_frequencies(words)
    top = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))[:10]
    print(f"{len(words)} words, {len(frequencies)} distinct")
    for word, count in top:
        print(f"{count:6d}  {word}")


if __name__ == "__main__":
    main()
