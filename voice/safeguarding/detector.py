"""Concern detection over a child's free text: explainable phrase rules.

Usage::

    det = Detector.from_directory(Path("content/safeguarding"))
    det.check("my carer hits me")
    # Detection(concern=True, categories=('physical-harm',), rules=('physical-harm:1',))

Detection only ever *raises* priority. Every submission still gets a human
review deadline, and callers must treat an exception from here as a concern
(fail closed). `check` is written not to raise on any `str`.

How a message is matched
========================

1. **Normalise** (`voice.safeguarding.normalise`): Unicode clean-up (NFKC,
   casefold, accents, zero-width and bidi control characters dropped),
   contractions ("he'll" -> "he will"), apostrophes removed, symbols and
   digits used as letters ("k1ll", "$h"), punctuation and emoji become spaces,
   repeated letters squashed ("hiiits" -> "hits"), text-speak expanded
   ("kms" -> "kill myself", "wanna" -> "want to", "u" -> "you"), and
   misspellings of a reviewed list of important words corrected
   ("sucide" -> "suicide", "toches" -> "touches").

2. **Phrases** (`voice.safeguarding.patterns`): each category file in
   content/safeguarding lists phrases such as ``{person} ... {hit} me``,
   written in a small, reviewable language (word groups, ``word*``
   prefixes, ``(a|b)`` choices, optional words, ``...`` short gaps). The same
   normalisation runs over the phrases, so both sides meet in one form. An
   entry can also be ``all: [phrase, phrase]``: every phrase must occur
   somewhere in the message (for example an online place *and* a request to
   meet up).

3. **Negation**: a match is ignored when a negation word ("not", "never",
   "dont", "nobody"...) stands within `negation.window` words before it, with
   no "reset" word ("but", "if", "think", "know"...) in between, or when a
   negation word fills a gap inside the match ("my carer *never* hits me").
   Not cancelled: phrases that are themselves negative ("no food", "nobody
   feeds me"), so dialect double negatives ("I ain't had nothing to eat")
   still fire; "not joking", "no lie" and the like; and whole categories
   marked ``negation: false``. Self-harm is such a category: "I'm not going to
   kill myself" is still worth a person's attention.

4. **Benign uses**: each category lists ``benign`` phrases ("hits the gym",
   "dying of laughter", "film about a runaway", "secret santa"). A concern match
   that overlaps a benign match is ignored, unless one of the benign entry's
   ``unless`` phrases also occurs in the message ("pillow fight" is benign,
   unless the message also says it made them bleed). A benign phrase only
   cancels matches it overlaps: "a film about a runaway, I want to run away
   too" still fires. Benign phrases take the longest match from every
   starting word (their gaps are greedy); concern phrases take the shortest.
   Because a benign gap can reach across words, benign entries with gaps are
   kept few and specific, and most carry ``unless`` guards.

A category is reported when at least one of its rules matches and is not
cancelled. `Detection.rules` names the rules that fired (``category:number``,
the position in that file's ``patterns`` list), never the child's words, so it
is safe to log; `Detector.explain` turns a rule id back into its phrase and
reason.

Speed: each phrase is indexed by a word it cannot match without, so for a
typical message only a handful of regular expressions run. Typical messages
take well under a millisecond.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from voice.safeguarding.normalise import normalise_message
from voice.safeguarding.patterns import Compiled
from voice.safeguarding.phrasebook import Exception_, Phrasebook, Rule, load

CATEGORIES: tuple[str, ...] = (
    "physical-harm",
    "sexual-harm",
    "neglect",
    "emotional-harm",
    "self-harm",
    "missing",
    "criminal-exploitation",
    "online-grooming",
    "unsafe-at-home",
    "secret",
)


@dataclass(frozen=True)
class Detection:
    concern: bool
    categories: tuple[str, ...]
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleInfo:
    id: str
    category: str
    phrase: str
    why: str


NO_CONCERN = Detection(concern=False, categories=(), rules=())


class _Message:
    """One normalised message and the lazily computed facts rules need about it."""

    def __init__(self, words: list[str], book: Phrasebook) -> None:
        self.words = words
        self.book = book
        self.text = " " + " ".join(words) + " "
        self.starts: list[int] = []
        offset = 1
        for word in words:
            self.starts.append(offset)
            offset += len(word) + 1
        self._benign: dict[str, list[tuple[int, int]]] = {}

    def word_index(self, char_offset: int) -> int:
        return bisect_right(self.starts, char_offset) - 1

    def masked(self, index: int) -> bool:
        """Is the word at `index` part of 'not joking', 'no lie'...? Those are not negations."""
        for phrase in self.book.negation.not_negating:
            size = len(phrase)
            for start in range(max(index - size + 1, 0), index + 1):
                if tuple(self.words[start : start + size]) == phrase:
                    return True
        return False

    def benign_spans(self, category: str, exceptions: tuple[Exception_, ...]) -> list[tuple[int, int]]:
        spans = self._benign.get(category)
        if spans is None:
            spans = []
            for exception in exceptions:
                if any(unless.regex.search(self.text) for unless in exception.unless):
                    continue
                regex = exception.phrase.regex
                pos = 0
                # Overlapping search: every start position gets its longest match.
                while (match := regex.search(self.text, pos)) is not None:
                    spans.append(match.span())
                    pos = match.start() + 1
            self._benign[category] = spans
        return spans


class Detector:
    """Checks free text against the reviewed phrase lists. Thread-safe once built."""

    def __init__(self, book: Phrasebook) -> None:
        self._book = book
        self._rules_by_id = {rule.id: rule for rule in book.rules}
        self._exceptions: dict[str, tuple[Exception_, ...]] = {
            category: tuple(e for e in book.exceptions if e.category == category) for category in CATEGORIES
        }
        # Pre-filter: which phrases could possibly match, given the words present.
        self._phrases: list[Compiled] = []
        self._rule_phrase_ids: list[tuple[int, ...]] = []
        self._word_index: dict[str, list[int]] = {}
        self._prefix_index: dict[int, dict[str, list[int]]] = {}
        self._always: set[int] = set()
        self._rule_of_phrase: list[int] = []
        for rule_index, rule in enumerate(book.rules):
            ids = []
            for phrase in rule.phrases:
                pid = len(self._phrases)
                self._phrases.append(phrase)
                self._rule_of_phrase.append(rule_index)
                ids.append(pid)
                if phrase.anchors is None:
                    self._always.add(pid)
                    continue
                for kind, word in phrase.anchors:
                    if kind == "w":
                        self._word_index.setdefault(word, []).append(pid)
                    else:
                        by_stem = self._prefix_index.setdefault(len(word), {})
                        by_stem.setdefault(word, []).append(pid)
            self._rule_phrase_ids.append(tuple(ids))

    @classmethod
    def from_directory(cls, directory: Path) -> Detector:
        """Load and validate the phrase lists; raises ValueError naming file and entry."""
        return cls(load(Path(directory), CATEGORIES))

    @property
    def versions(self) -> Mapping[str, str]:
        """The `version` field of each phrase file."""
        return dict(self._book.versions)

    @property
    def fingerprint(self) -> str:
        """A short hash of all phrase files: record it with each decision."""
        return self._book.fingerprint

    def explain(self, rule_id: str) -> RuleInfo:
        rule = self._rules_by_id[rule_id]
        return RuleInfo(id=rule.id, category=rule.category, phrase=rule.source, why=rule.why)

    def check(self, text: str) -> Detection:
        if not isinstance(text, str):
            raise TypeError(f"Detector.check needs str, not {type(text).__name__}")
        words = normalise_message(text, self._book.lexicon)
        if not words:
            return NO_CONCERN
        message = _Message(words, self._book)
        candidates = self._candidates(words)
        found: dict[str, str] = {}
        for rule_index in sorted({self._rule_of_phrase[p] for p in candidates}):
            rule = self._book.rules[rule_index]
            if rule.category in found or not all(p in candidates for p in self._rule_phrase_ids[rule_index]):
                continue
            if all(self._live_match(message, rule, phrase) for phrase in rule.phrases):
                found[rule.category] = rule.id
        if not found:
            return NO_CONCERN
        categories = tuple(sorted(found))
        return Detection(
            concern=True,
            categories=categories,
            rules=tuple(found[c] for c in categories),
        )

    def _candidates(self, words: list[str]) -> set[int]:
        candidates = set(self._always)
        for word in set(words):
            candidates.update(self._word_index.get(word, ()))
            for length, by_stem in self._prefix_index.items():
                if len(word) >= length:
                    candidates.update(by_stem.get(word[:length], ()))
        return candidates

    def _live_match(self, message: _Message, rule: Rule, phrase: Compiled) -> bool:
        """True if `phrase` matches somewhere without being negated or benign."""
        regex: re.Pattern[str] = phrase.regex
        pos = 0
        while (match := regex.search(message.text, pos)) is not None:
            if not self._negated(message, rule, phrase, match) and not self._benign(
                message, rule.category, match
            ):
                return True
            pos = match.start() + 1
        return False

    def _benign(self, message: _Message, category: str, match: re.Match[str]) -> bool:
        exceptions = self._exceptions[category]
        if not exceptions:
            return False
        start, end = match.start(), match.end() - 1  # ignore the trailing space
        return any(s < end and start < e - 1 for s, e in message.benign_spans(category, exceptions))

    def _negated(self, message: _Message, rule: Rule, phrase: Compiled, match: re.Match[str]) -> bool:
        negation = self._book.negation
        if not rule.negatable:
            return False
        first = message.word_index(match.start())
        last = message.word_index(match.end() - 2)
        matched = message.words[first : last + 1]
        if any(w in negation.negative_words and w in phrase.literals for w in matched):
            # The phrase is itself negative ("no food", "nobody feeds me"): a negation
            # before it is a dialect double negative, not a denial.
            return False
        for i in range(first, last + 1):
            word = message.words[i]
            if word in negation.cues and word not in phrase.literals and not message.masked(i):
                return True
        for i in range(first - 1, max(first - negation.window, 0) - 1, -1):
            word = message.words[i]
            if word in negation.reset:
                return False
            if word in negation.cues and not message.masked(i):
                return True
        return False
