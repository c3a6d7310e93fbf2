"""Turn a child's message into a plain sequence of comparable words.

The same word pipeline runs over the phrase lists when they are loaded, so a
phrase written "I'm scared" in the YAML and a message typed "IM SCAAARED!!!"
end up as the same words. See `voice.safeguarding.detector` for the whole
matching story; this module only does the text clean-up.

Order matters and is:

1. Unicode: NFKD, drop combining marks (accents, variation selectors, "Zalgo"
   text), drop format characters (zero-width spaces and joiners, bidi
   controls such as U+202E, soft hyphens, BOM), NFKC, casefold. Lone
   surrogates and control characters survive this and later become spaces.
2. Contractions: "he'll" -> "he will", "I'm" -> "i am", "they're" ->
   "they are", "I've" -> "i have", "he'd" -> "he would"; other apostrophes are removed
   ("don't" -> "dont", "carer's" -> "carers").
3. Symbols used as letters inside words: "k!ll" -> "kill", "$h" -> "sh",
   "h@te" -> "hate".
4. Words are the runs of letters and digits; everything else (punctuation,
   emoji, NUL, surrogates) separates words, except the few emoji that `textspeak`
   lists as words (a laughing face is read as "lol").
5. Per word: a few words are kept exactly as written (see `kept_as_written`
   in common.yaml, e.g. "rapped" must not collapse into "raped"); text-speak
   is expanded ("kms" -> "kill myself", "wanna" -> "want to"); "shh", "shhhh"
   become "shush" so they are never read as "sh" (self-harm); digits inside
   words are read as letters (0->o 1->i 3->e 4->a 5->s) unless the word is a
   number with a unit ("4am", "2nd", "10pm"); repeated letters are squashed
   to one ("hiiits" -> "hits", "kill" -> "kil": phrases are squashed the
   same way, so they still meet); text-speak is looked up again on the
   squashed word ("kmssss").
6. Word sequences (`sequences` in common.yaml): homophones that only a neighbouring word
   tells apart are rewritten ("dont no" -> "dont know", "some one" -> "someone").
7. Misspellings: a word that is not already a phrase-list word, and is at
   least `min_length` letters, is corrected to a word from the reviewed
   `fuzzy.targets` list when it has the same first letter and is within one
   edit (two for words of 9+ letters; swapping two neighbouring letters
   counts as one). Words in `fuzzy.never_correct` are real words that must be left
   alone ("started" is not "starved").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from rapidfuzz.distance import OSA

_CONTRACTIONS = (
    (re.compile(r"(?<=[^\W\d_])['’‘`´ʼ]ll(?![^\W_])"), " will"),
    (re.compile(r"(?<=[^\W\d_])['’‘`´ʼ]re(?![^\W_])"), " are"),
    (re.compile(r"(?<=[^\W\d_])['’‘`´ʼ]ve(?![^\W_])"), " have"),
    (re.compile(r"(?<=[^\W\d_])['’‘`´ʼ]d(?![^\W_])"), " would"),
    (re.compile(r"(?<=\bi)['’‘`´ʼ]m(?![^\W_])"), " am"),
)
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_BANG_AS_I = re.compile(r"(?<=[^\W\d_])[!¡](?=[^\W\d_])")
_AT_AS_A = re.compile(r"(?<=[^\W\d_])@|@(?=[^\W\d_])")
_DOLLAR_AS_S = re.compile(r"(?<=[^\W\d_])\$|\$(?=[^\W\d_])")
_WORD = re.compile(r"[^\W_]+")
_REPEATS = re.compile(r"([^\W\d_])\1+")
_SHUSH = re.compile(r"s+h{2,}")
_HAS_DIGIT = re.compile(r"\d")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# A number followed by a unit is a number, not leetspeak: "4am", "2nd", "10pm".
_NUMBER_WITH_UNIT = re.compile(
    r"\d+(?:am|pm|st|nd|rd|th|s|k|m|h|hr|hrs|min|mins|yr|yrs|yo|x|p|kg|km|cm|mm|gb|mb)"
)
# "walkin", "thinkin", "standin": a dropped g is put back, except in real words that end "in".
_DROPPED_G_EXCEPTIONS = frozenset(
    {
        "cousin",
        "basin",
        "basins",
        "raisin",
        "cabin",
        "robin",
        "satin",
        "resin",
        "toxin",
        "mufin",
        "napkin",
        "pumpkin",
        "catkin",
        "gherkin",
        "vitamin",
        "margin",
        "origin",
        "virgin",
        "admin",
        "login",
        "latin",
        "martin",
        "austin",
        "justin",
        "kevin",
        "dustin",
        "goblin",
        "violin",
        "javelin",
        "insulin",
        "aspirin",
        "begin",
        "within",
        "bodkin",
        "cumin",
    }
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s"})


def clean_unicode(text: str) -> str:
    """Steps 1-4 of the module docstring, up to (not including) word splitting."""
    if text.isascii():  # fast path: no accents or invisible characters to remove
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))
        text = unicodedata.normalize("NFKC", text).casefold()
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = _APOSTROPHES.sub("", text)
    text = _BANG_AS_I.sub("i", text)
    text = _AT_AS_A.sub("a", text)
    return _DOLLAR_AS_S.sub("s", text)


def squash(word: str) -> str:
    """Collapse runs of the same letter: "hiiits" -> "hits", "kill" -> "kil"."""
    return _REPEATS.sub(r"\1", word)


class Lexicon:
    """The word-level settings from common.yaml, already normalised.

    `known` holds every word that appears in the phrase lists; such words are
    never "corrected" into something else.
    """

    def __init__(
        self,
        *,
        textspeak: Mapping[str, tuple[str, ...]] | None = None,
        kept_as_written: Iterable[str] = (),
        fuzzy_targets: Iterable[str] = (),
        never_correct: Iterable[str] = (),
        fuzzy_min_length: int = 5,
        known: Iterable[str] = (),
        sequences: Mapping[tuple[str, ...], tuple[str, ...]] | None = None,
    ) -> None:
        self.textspeak = dict(textspeak or {})
        # Text-speak keys that are not words (laughing emoji, issue 18 seventh pass) are read as
        # words too; without any, words are the runs of letters and digits.
        symbols = sorted((k for k in self.textspeak if not _WORD.fullmatch(k)), key=len, reverse=True)
        self.word_pattern = (
            re.compile("|".join([_WORD.pattern, *(re.escape(k) for k in symbols)])) if symbols else _WORD
        )
        self.sequences = dict(sequences or {})
        self._sequence_starts: dict[str, tuple[tuple[str, ...], ...]] = {}
        for key in sorted(self.sequences, key=len, reverse=True):  # longest first
            self._sequence_starts[key[0]] = (*self._sequence_starts.get(key[0], ()), key)
        self.kept_as_written = frozenset(kept_as_written)
        self.fuzzy_targets = frozenset(fuzzy_targets)
        self.never_correct = frozenset(never_correct)
        self.fuzzy_min_length = fuzzy_min_length
        self.known = frozenset(known) | self.never_correct | self.kept_as_written
        buckets: dict[str, list[str]] = {}
        for target in sorted(self.fuzzy_targets):
            buckets.setdefault(target[0], []).append(target)
        self._buckets = {first: tuple(targets) for first, targets in buckets.items()}

    def with_known_words(self, words: Iterable[str]) -> Lexicon:
        return Lexicon(
            textspeak=self.textspeak,
            kept_as_written=self.kept_as_written,
            fuzzy_targets=self.fuzzy_targets,
            never_correct=self.never_correct,
            fuzzy_min_length=self.fuzzy_min_length,
            known=frozenset(words) | self.known,
            sequences=self.sequences,
        )

    def rewrite_sequences(self, words: list[str]) -> list[str]:
        """Replace the reviewed word sequences ("dont no" -> "dont know", "some one" -> "someone")."""
        if not self.sequences:
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            for key in self._sequence_starts.get(words[i], ()):
                if tuple(words[i : i + len(key)]) == key:
                    out.extend(self.sequences[key])
                    i += len(key)
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def correct(self, word: str) -> str:
        """Return the reviewed target that `word` is a near-misspelling of, or `word`."""
        if len(word) < self.fuzzy_min_length or word in self.known or not word.isalpha():
            return word
        # Two edits only for long words: "teaching" is two edits from "touching".
        limit = 1 if len(word) <= 8 else 2
        best, best_distance = word, limit + 1
        for target in self._buckets.get(word[0], ()):
            if abs(len(target) - len(word)) > limit:
                continue
            distance = OSA.distance(word, target, score_cutoff=limit)
            if distance < best_distance:
                best, best_distance = target, distance
        return best


def word_forms(raw: str, lexicon: Lexicon) -> list[str]:
    """Normalise one already-cleaned word into zero or more words (step 5)."""
    if raw in lexicon.kept_as_written:
        return [raw]
    if raw in lexicon.textspeak:
        return list(lexicon.textspeak[raw])
    if _SHUSH.fullmatch(raw):
        return ["shush"]
    word = raw
    if _HAS_DIGIT.search(word) and _HAS_LETTER.search(word) and not _NUMBER_WITH_UNIT.fullmatch(word):
        word = word.translate(_LEET)
    word = squash(word)
    if word in lexicon.textspeak:
        return list(lexicon.textspeak[word])
    if (
        len(word) >= 5
        and word.endswith("in")
        and word[-3] not in "aeiouy"
        and word.isalpha()
        and word not in _DROPPED_G_EXCEPTIONS
    ):
        return [word + "g"]
    return [word]


def words_of(text: str, lexicon: Lexicon) -> list[str]:
    """Normalise free text into a list of words, without misspelling correction."""
    out: list[str] = []
    seen: dict[str, list[str]] = {}
    for raw in lexicon.word_pattern.findall(clean_unicode(text)):
        forms = seen.get(raw)
        if forms is None:
            forms = seen[raw] = word_forms(raw, lexicon)
        out.extend(forms)
    return out


def normalise_message(text: str, lexicon: Lexicon) -> list[str]:
    """The full pipeline for a message, including word sequences and misspelling correction."""
    words = lexicon.rewrite_sequences(words_of(text, lexicon))
    corrections: dict[str, str] = {}
    out = []
    for word in words:
        fixed = corrections.get(word)
        if fixed is None:
            fixed = corrections[word] = lexicon.correct(word)
        out.append(fixed)
    return out
