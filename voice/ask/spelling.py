"""Fixing a child's spelling against the words the content knows (the matcher's step 2).

A word never seen is swapped for the closest known word (Damerau-Levenshtein via rapidfuzz:
one edit for words of five letters or fewer, two for longer), or split when it is two known
words run together ("careplan"). Real words are never "fixed": `known` holds the language's
common words and every word of the rights pages and answers as well as the content's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from voice.ask.languages import Language

# Fixes remembered per matcher (a long-lived app sees the same typos again and again); beyond
# this many distinct tokens new ones are worked out each time, so memory stays bounded.
CACHE_SIZE = 10_000


class Speller:
    def __init__(
        self,
        language: Language,
        correctable: Iterable[str],
        known: set[str],
        usage: Callable[[str], int],
    ) -> None:
        """`correctable`: the words a typo may become (the content's own, the synonyms'
        spellings, the little words). `known`: words never to touch. `usage(stem)`: how many
        topics use a stem, to break ties towards the word the content uses most."""
        self.language = language
        self.correctable = sorted(correctable)
        self.content = {w for w in self.correctable if w not in language.stopwords}
        self.known = known
        self.known_stems = {language.stem(w) for w in known}
        self.usage = usage
        self._cache: dict[str, tuple[str, ...] | None] = {}

    def correct(self, token: str) -> tuple[str, ...] | None:
        """The known word(s) a misspelt token most likely meant, or None."""
        if token in self._cache:
            return self._cache[token]
        if (
            token in self.known
            or len(token) < self.language.min_corrected
            or not token.isalpha()
            or self.language.stem(token) in self.known_stems
        ):
            return None
        best = self._split_compound(token) or self._closest(token)
        if len(self._cache) < CACHE_SIZE:
            self._cache[token] = best
        return best

    def _split_compound(self, token: str) -> tuple[str, ...] | None:
        for cut in range(3, len(token) - 2):
            head, tail = token[:cut], token[cut:]
            if head in self.content and tail in self.content:
                return (head, tail)
        return None

    def _closest(self, token: str) -> tuple[str, ...] | None:
        max_edits = 1 if len(token) <= 5 else 2
        candidates = process.extract(
            token,
            self.correctable,
            scorer=OSA.distance,
            score_cutoff=max_edits,
            limit=8,
        )
        if not candidates:
            return None
        # Closest first; then keep the first letter (children rarely get it wrong); then the
        # word the content uses most.
        best = min(
            candidates,
            key=lambda c: (c[1], c[0][0] != token[0], -self.usage(self.language.stem(c[0]))),
        )[0]
        return (best,) if best else None
