"""Word frequencies for a text: which words does it use, and how often?

    perflab run words.py        prints the text's size and its ten most common words

The rules for what counts as a word are in exercise.md (and in split_words below).
"""
import re

from sample_text import make_text

# A word is a run of ASCII letters and digits; the text is lowercased first.
WORD = re.compile(r"[a-z0-9]+")


def split_words(text: str) -> list[str]:
    """The words of `text`, in order, in lowercase."""
    return WORD.findall(text.lower())


def word_frequencies(text: str) -> dict[str, int]:
    """Map every distinct word of `text` to how many times it occurs."""
    words = split_words(text)
    frequencies = {}
    for word in sorted(set(words)):
        frequencies[word] = words.count(word)
    return frequencies


def top_words(frequencies: dict[str, int], how_many: int = 10) -> list[tuple[str, int]]:
    """The most frequent words, most frequent first; ties in alphabetical order."""
    return sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))[:how_many]


def main() -> None:
    text = make_text()
    frequencies = word_frequencies(text)
    print(f"{sum(frequencies.values())} words, {len(frequencies)} distinct")
    for word, count in top_words(frequencies):
        print(f"{count:7d}  {word}")


if __name__ == "__main__":
    main()
