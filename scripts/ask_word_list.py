"""Re-make voice/ask/words/en_words.txt: the most frequent English words, which the question
matcher's spelling fix must never "correct" into a care word ("clocks" is not a typo for
"check", nor "weight" for "night"). Words are taken from pyspellchecker's English frequency
list (MIT licence); only words of four letters or more, since shorter ones are never corrected.

Run: .venv/bin/python -m scripts.ask_word_list [--top N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "voice" / "ask" / "words" / "en_words.txt"


def main() -> None:
    from spellchecker import SpellChecker

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--top", type=int, default=30_000)
    args = parser.parse_args()
    frequencies = SpellChecker(language="en").word_frequency.dictionary
    ranked = sorted(frequencies.items(), key=lambda kv: (-kv[1], kv[0]))
    words = sorted(w for w, _ in ranked[: args.top] if len(w) >= 4 and w.isascii() and w.isalpha())
    lines = [
        "# The most frequent English words (pyspellchecker's list, MIT licence), never spelling-fixed.",
        "# Made by scripts/ask_word_list.py; do not edit by hand.",
    ]
    lines += [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {OUT}")


if __name__ == "__main__":
    main()
