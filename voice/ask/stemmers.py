"""Light stemmers, one a language, written by hand: no dictionary, no download.

Each joins the forms a child types ("moves", "moving" → "move"; "ভাইকে" → "ভাই") without the
surprises of a full stemmer. Languages without one of their own get `arabic_script_stemmer`
(Arabic-script locales) or no stemming.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

from voice.ask.text import fold_accents, fold_script

_VOWELS = "aeiou"


def _is_consonant(word: str, i: int) -> bool:
    ch = word[i]
    if ch in _VOWELS:
        return False
    if ch == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: how many vowel-consonant sequences the stem has."""
    m = 0
    prev_vowel = False
    for i in range(len(stem)):
        vowel = not _is_consonant(stem, i)
        if prev_vowel and not vowel:
            m += 1
        prev_vowel = vowel
    return m


def _ends_cvc(stem: str) -> bool:
    if len(stem) < 3:
        return False
    return (
        _is_consonant(stem, len(stem) - 3)
        and not _is_consonant(stem, len(stem) - 2)
        and _is_consonant(stem, len(stem) - 1)
        and stem[-1] not in "wxy"
    )


def stem_en(word: str) -> str:
    """A light English stemmer (Porter's steps 1 and 5, roughly).

    Enough to join plurals and verb forms ("moves", "moving", "moved" → "move";
    "worries", "worried" → "worry") without the surprises of a full stemmer.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    w = _strip_verb_ending(_strip_plural(word))
    if w.endswith("e") and len(w) > 4:
        base = w[:-1]
        m = _measure(base)
        if m > 1 or (m == 1 and not _ends_cvc(base)):
            w = base
    return w


def _strip_plural(w: str) -> str:
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("oes"):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _strip_verb_ending(w: str) -> str:
    for suffix in ("ing", "ed"):
        base = w[: -len(suffix)]
        if not (w.endswith(suffix) and len(base) >= 3 and any(c in "aeiouy" for c in base)):
            continue
        if base.endswith(("at", "bl", "iz")):
            return base + "e"
        if base[-1] == base[-2] and base[-1] not in "lsz":
            return base[:-1]
        if base.endswith("i"):
            return base[:-1] + "y"
        if _measure(base) == 1 and _ends_cvc(base):
            return base + "e"
        return base
    return w


def _suffix_stemmer(
    suffixes: Iterable[str], prefixes: Iterable[str] = (), keep: int = 2, fold: bool = False
) -> Callable[[str], str]:
    """A light stemmer that takes off one prefix and one suffix, longest first, keeping at
    least `keep` letters: enough to join "ভাই", "ভাইকে" and "ভাইয়ের" (brother), or
    "أخي" and "أخ", without a dictionary."""
    shape = fold_script if fold else (lambda x: x)
    ends = sorted({shape(unicodedata.normalize("NFKC", x)) for x in suffixes}, key=len, reverse=True)
    starts = sorted({shape(unicodedata.normalize("NFKC", x)) for x in prefixes}, key=len, reverse=True)

    def stem(word: str) -> str:
        for pre in starts:
            if word.startswith(pre) and len(word) - len(pre) > keep:
                word = word[len(pre) :]
                break
        for end in ends:
            if word.endswith(end) and len(word) - len(end) > keep:
                return word[: -len(end)]
        return word

    return stem


# Bengali case endings and classifiers, then a final vowel sign.
stem_bn = _suffix_stemmer(
    ["দেরকে", "দেরও", "দের", "গুলো", "গুলি", "য়েরা", "য়ের", "য়ে", "েরা", "ের", "কে", "রা", "টা", "টি",
     "তে", "টাকে", "ও", "ই", "র", "া", "ি", "ে", "ো"]
)  # fmt: skip
# Arabic: the article and clitics in front, pronoun and plural endings behind.
stem_ar = _suffix_stemmer(
    ["هما", "كما", "ها", "هم", "كم", "نا", "ني", "ات", "ون", "ين", "ية", "ي", "ك", "ه", "ة"],
    ["وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف"],
)


def _truncating_stemmer(keep: int, fold: bool = True) -> Callable[[str], str]:
    """Stem by keeping the first `keep` letters, accents folded ("szkoły", "szkołę" and
    "szkola" all become "szkol"). Crude, but truncation is a known good stemmer for
    inflected languages with no stemmer to hand, and children often skip accents."""

    def stem(word: str) -> str:
        if fold:
            word = fold_accents(word)
        return word[:keep]

    return stem


# Arabic-script languages without a stemmer of their own (ur, fa, ps, ckb): the
# prepositions written onto the word in front, and the commonest plural, possessive and
# object endings behind. Letters are folded first (see text.fold_script), so these are
# written in their folded shapes. Measured on Urdu's tuning questions before use.
arabic_script_stemmer = _suffix_stemmer(
    ["هاي", "های", "ان", "ها", "وں", "یں", "ون", "ين", "ات", "ي", "ه", "م", "ت", "ش"],
    ["وال", "بال", "ال", "و", "ب"],
    keep=2,
    fold=True,
)
