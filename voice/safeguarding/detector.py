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
   no "reset" word ("but", "if", "think", "know"...) and no sentence end
   (". ! ? ; :" or a new line: "no one came. he hits me") in between, or when a
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
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from voice.safeguarding.classifier import MAX_SCORED_CHARS, MODEL_PATH, Classifier
from voice.safeguarding.normalise import normalise_message
from voice.safeguarding.patterns import Compiled
from voice.safeguarding.phrasebook import Context, Exception_, Phrasebook, Rule, load

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


CONCERN = "concern"
UNCERTAIN = "uncertain"  # "please read soon": not an alarm, not ordinary
NONE = "none"
CLASSIFIER_RULE = "classifier"
CLASSIFIER_CATEGORY = "possible-concern"

# Why a message is marked "please read soon" (Detection.reasons).
UNSURE = "classifier-unsure"
OVERRULED = "classifier-against-negation"  # the classifier saw a concern the rules set aside
IN_CONTEXT = "classifier-in-benign-context"  # the classifier alone, in a film, game, past event...
TOO_LONG = "too-long-to-screen"
NOT_ENGLISH = "not-english"
MIXED_SCRIPTS = "mixed-scripts"
NO_WORDS = "no-words"


@dataclass(frozen=True)
class Detection:
    concern: bool
    categories: tuple[str, ...]
    rules: tuple[str, ...] = ()
    level: str = NONE  # CONCERN, UNCERTAIN or NONE; `concern` is True only for CONCERN
    reasons: tuple[str, ...] = ()  # for UNCERTAIN: why the detector could not judge
    evidence: tuple[str, ...] = ()  # the classifier's strongest words, for the reviewer
    probability: float | None = None  # the classifier's score, when it ran
    # Rules whose phrases matched but were set aside (negation, benign use, benign context).
    cancelled: tuple[str, ...] = ()
    # Whole-message benign contexts (common.yaml `contexts`) that apply to the message.
    contexts: tuple[str, ...] = ()
    # One of them says the classifier alone may only mark "please read soon" here.
    quiet: bool = False

    @property
    def read_soon(self) -> bool:
        return self.level == UNCERTAIN


@dataclass(frozen=True)
class RuleInfo:
    id: str
    category: str
    phrase: str
    why: str


NO_CONCERN = Detection(concern=False, categories=(), rules=())
_ABSENT, _CANCELLED, _LIVE = 0, 1, 2


class _Message:
    """One normalised message and the lazily computed facts rules need about it."""

    def __init__(self, words: list[str], book: Phrasebook, breaks: frozenset[int] = frozenset()) -> None:
        self.words = words
        self.book = book
        self.breaks = breaks  # word indices that start a new sentence
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
    """Checks free text against the reviewed phrase lists, then the classifier. Thread-safe once built."""

    def __init__(self, book: Phrasebook, classifier: Classifier | None = None) -> None:
        self._book = book
        self.classifier = classifier
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
    def from_directory(cls, directory: Path, *, classifier: bool | Path = True) -> Detector:
        """Load and validate the phrase lists and the trained classifier (the one shipped
        with the code, voice/safeguarding/classifier.json, unless a path is given; False for
        the phrase lists alone). Raises ValueError naming the file and entry."""
        loaded = None
        if classifier is not False:
            loaded = Classifier.load(MODEL_PATH if classifier is True else Path(classifier))
        return cls(load(Path(directory), CATEGORIES), loaded)

    def words(self, text: str) -> list[str]:
        """The normalised words of `text`, as the phrase lists and the classifier see them."""
        return normalise_message(text, self._book.lexicon)

    @property
    def versions(self) -> Mapping[str, str]:
        """The `version` field of each phrase file."""
        return dict(self._book.versions)

    @property
    def fingerprint(self) -> str:
        """A short hash of all phrase files: record it with each decision."""
        return self._book.fingerprint

    def explain(self, rule_id: str) -> RuleInfo:
        if rule_id == CLASSIFIER_RULE:
            return RuleInfo(
                id=CLASSIFIER_RULE,
                category=CLASSIFIER_CATEGORY,
                phrase="(no phrase: the trained classifier, voice/safeguarding/classifier.json)",
                why="Words and spellings like those in messages labelled as concerns (see the evidence).",
            )
        rule = self._rules_by_id[rule_id]
        return RuleInfo(id=rule.id, category=rule.category, phrase=rule.source, why=rule.why)

    def check(self, text: str) -> Detection:
        """Phrase lists first; then the classifier and the cannot-judge checks (`combine`)."""
        if not isinstance(text, str):
            raise TypeError(f"Detector.check needs str, not {type(text).__name__}")
        words = normalise_message(text, self._book.lexicon)
        rules = self.check_rules(words, sentence_starts(text, words, self._book))
        if self.classifier is None:
            return rules
        return combine(rules, words, text, self.classifier)

    def check_rules(self, words: list[str], breaks: frozenset[int] = frozenset()) -> Detection:
        """The phrase lists alone, over already normalised words (`breaks`: where sentences start)."""
        if not words:
            return NO_CONCERN
        message = _Message(words, self._book, breaks)
        candidates = self._candidates(words)
        found: dict[str, str] = {}
        cancelled: list[str] = []
        for rule_index in sorted({self._rule_of_phrase[p] for p in candidates}):
            rule = self._book.rules[rule_index]
            if rule.category in found or not all(p in candidates for p in self._rule_phrase_ids[rule_index]):
                continue
            matches = [self._live_match(message, rule, phrase) for phrase in rule.phrases]
            if all(m == _LIVE for m in matches):
                found[rule.category] = rule.id
            elif all(m != _ABSENT for m in matches):
                cancelled.append(rule.id)
        context = self._benign_context(message)
        contexts = (context.name,) if context is not None else ()
        quiet = context is not None and context.classifier_reads_soon
        if found and context is not None:
            cancelled.extend(r for c, r in found.items() if c not in context.keep)
            found = {c: r for c, r in found.items() if c in context.keep}
        if not found:
            if cancelled or contexts:
                return Detection(False, (), cancelled=tuple(cancelled), contexts=contexts, quiet=quiet)
            return NO_CONCERN
        categories = tuple(sorted(found))
        return Detection(
            concern=True,
            categories=categories,
            rules=tuple(found[c] for c in categories),
            level=CONCERN,
            contexts=contexts,
            quiet=quiet,
        )

    def _benign_context(self, message: _Message) -> Context | None:
        """The first whole-message benign context that applies ("used to... but I'm safe now")."""
        for context in self._book.contexts:
            if all(any(p.regex.search(message.text) for p in group) for group in context.all) and not any(
                p.regex.search(message.text) for p in context.unless
            ):
                return context
        return None

    def _candidates(self, words: list[str]) -> set[int]:
        candidates = set(self._always)
        for word in set(words):
            candidates.update(self._word_index.get(word, ()))
            for length, by_stem in self._prefix_index.items():
                if len(word) >= length:
                    candidates.update(by_stem.get(word[:length], ()))
        return candidates

    def _live_match(self, message: _Message, rule: Rule, phrase: Compiled) -> int:
        """_LIVE if `phrase` matches somewhere without being negated or benign; _CANCELLED if
        it matches only where negated or benign; _ABSENT if it does not match."""
        regex: re.Pattern[str] = phrase.regex
        pos = 0
        seen = False
        while (match := regex.search(message.text, pos)) is not None:
            seen = True
            if not self._negated(message, rule, phrase, match) and not self._benign(
                message, rule.category, match
            ):
                return _LIVE
            pos = match.start() + 1
        return _CANCELLED if seen else _ABSENT

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
            if i + 1 in message.breaks:
                return False  # "no one came. sleeping in my coat": a negation ends with its sentence
            if word in negation.reset:
                return False
            if word in negation.cues and not message.masked(i):
                return True
        return False


_SENTENCE_END = re.compile(r"[.!?;:\n]+(?=\s|$)|\n")


def sentence_starts(text: str, words: list[str], book: Phrasebook) -> frozenset[int]:
    """Indices of the words that begin a new sentence (after . ! ? ; : or a new line), found by
    normalising each sentence alone; empty when that does not give the same words."""
    pieces = [p for p in _SENTENCE_END.split(text[:MAX_SCORED_CHARS]) if p.strip()]
    if len(pieces) < 2 or len(text) > MAX_SCORED_CHARS:
        return frozenset()
    starts: set[int] = set()
    joined: list[str] = []
    for piece in pieces:
        piece_words = normalise_message(piece, book.lexicon)
        if piece_words and joined:
            starts.add(len(joined))
        joined.extend(piece_words)
    return frozenset(starts) if joined == words else frozenset()


# --- the second layer: classifier and "cannot judge" ---------------------------------

# A Latin-script message of at least this many words, of which fewer than
# ENGLISH_SHARE are words the classifier has seen, is probably not English.
ENGLISH_MIN_WORDS = 4
ENGLISH_SHARE = 0.5
# The classifier needs a few words to go on: on one or two ("n", "ok", "yes") it scores little
# more than its own bias ("n", read as "and", once scored 0.97). Short messages are judged by
# the phrase lists alone, which hold the short disclosures ("hurt me", "help"). Counted both as
# typed and after normalisation, so "idk" (-> "i dont know") stays a short answer.
MIN_CLASSIFIED_WORDS = 3
OTHER_SCRIPT_SHARE = 0.2


def _scripts(text: str) -> tuple[int, int]:
    """(Latin letters, letters of any other script) in the first part of `text`."""
    latin = other = 0
    for ch in text[:MAX_SCORED_CHARS]:
        if ch.isalpha():
            if ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"):
                latin += 1
            else:
                other += 1
    return latin, other


def cannot_judge(text: str, words: list[str], classifier: Classifier) -> tuple[str, ...]:
    """Why this message cannot be judged by its words (empty when it can)."""
    reasons = []
    if len(text) > MAX_SCORED_CHARS:
        reasons.append(TOO_LONG)
    latin, other = _scripts(text)
    if other and other >= OTHER_SCRIPT_SHARE * (latin + other):
        reasons.append(MIXED_SCRIPTS if latin >= OTHER_SCRIPT_SHARE * (latin + other) else NOT_ENGLISH)
    elif len(words) >= ENGLISH_MIN_WORDS and classifier.known_share(words) < ENGLISH_SHARE:
        reasons.append(NOT_ENGLISH)
    if not text.isascii() and text.strip() and not any(ch.isalnum() for ch in text[:MAX_SCORED_CHARS]):
        reasons.append(NO_WORDS)  # emoji or symbols only (a laughing face read as "lol" too)
    return tuple(reasons)


def combine(rules: Detection, words: list[str], text: str, classifier: Classifier) -> Detection:
    """The level of a message, given what the phrase lists found.

    * a phrase rule matched: CONCERN (the rules say why);
    * else the classifier's probability is at or above its `concern` threshold: CONCERN,
      category "possible-concern", with the words that pushed it;
    * else a phrase rule matched but was set aside (negation, benign use or context) and the
      probability is at least the classifier's `set_aside_read_soon` threshold: UNCERTAIN;
    * else a whole-message benign context applies (a film, a game, a resolved past, a doctor
      who explained it...) and the probability reaches the `concern` threshold: UNCERTAIN,
      never an alarm on the classifier's word alone;
    * else the probability is in the middle band, or the message cannot be judged (not
      English, mixed scripts, emoji only, too long to score whole): UNCERTAIN, "please
      read soon";
    * else NONE.
    """
    if rules.concern:
        return rules
    reasons = cannot_judge(text, words, classifier)
    if len(words) < MIN_CLASSIFIED_WORDS or len(text.split()) < MIN_CLASSIFIED_WORDS:
        # Counted as typed too: "idk" expands to three words but is one short answer.
        if reasons:
            return Detection(
                False,
                (),
                level=UNCERTAIN,
                reasons=reasons,
                cancelled=rules.cancelled,
                contexts=rules.contexts,
                quiet=rules.quiet,
            )
        return rules
    scored = words
    if len(text) > MAX_SCORED_CHARS:
        scored = normalise_prefix(words, text)
    score = classifier.score(scored)
    foreign = NOT_ENGLISH in reasons or MIXED_SCRIPTS in reasons
    if score.probability >= classifier.set_aside_read_soon_at and rules.cancelled:
        # "my carer never hits me", "no more he grabs me": the phrase rules saw the words and a
        # negation or a benign use; the classifier, which cannot read negation, leans the other
        # way. A person reads it soon: a wrong negation must not make a disclosure silent.
        reasons = (OVERRULED, *reasons)
    elif score.probability >= classifier.concern_at and rules.quiet:
        reasons = (IN_CONTEXT, *reasons)
    elif score.probability >= classifier.concern_at and not foreign:
        return Detection(
            concern=True,
            categories=(CLASSIFIER_CATEGORY,),
            rules=(CLASSIFIER_RULE,),
            level=CONCERN,
            evidence=score.evidence,
            probability=round(score.probability, 3),
        )
    elif score.probability >= classifier.read_soon_at:
        reasons = (UNSURE, *reasons)
    if reasons:
        return Detection(
            False,
            (),
            level=UNCERTAIN,
            reasons=reasons,
            evidence=score.evidence,
            probability=round(score.probability, 3),
            cancelled=rules.cancelled,
            contexts=rules.contexts,
            quiet=rules.quiet,
        )
    return Detection(
        False,
        (),
        probability=round(score.probability, 3),
        cancelled=rules.cancelled,
        contexts=rules.contexts,
        quiet=rules.quiet,
    )


def normalise_prefix(words: list[str], text: str) -> list[str]:
    """About as many words as fit in the first MAX_SCORED_CHARS characters."""
    share = MAX_SCORED_CHARS / max(len(text), 1)
    return words[: max(int(len(words) * share), 1)]
