"""Property tests: a disclosure still fires however it is typed.

The core phrases below were written for these tests. They are deliberately
different from the evaluation set in tests/data (a test checks that), so they
test the rules, not memorised sentences.
"""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from voice.safeguarding.detector import CATEGORIES, CLASSIFIER_CATEGORY, Detection, Detector
from voice.safeguarding.normalise import words_of

ROOT = Path(__file__).resolve().parents[2]
PHRASES = ROOT / "content" / "safeguarding"
EVAL = ROOT / "tests" / "data" / "safeguarding_eval.jsonl"

# (category, phrase) pairs: one or two plain disclosures per category.
CORE = [
    ("physical-harm", "my foster dad kicks me"),
    ("physical-harm", "my uncle threatened to stab me"),
    ("sexual-harm", "he touches my private parts"),
    ("sexual-harm", "my boyfriend is 25 and i am 13"),
    ("neglect", "i have not eaten for two days"),
    ("neglect", "we get left on our own for days"),
    ("emotional-harm", "my carer calls me worthless"),
    ("emotional-harm", "nobody in my family wants me"),
    ("self-harm", "i am going to kill myself tonight"),
    ("self-harm", "everyone would be better off without me"),
    ("self-harm", "nobody would notice if i was gone"),
    ("self-harm", "i keep cutting my arms"),
    ("missing", "i ran away from my placement"),
    ("missing", "i am sleeping on the streets"),
    ("criminal-exploitation", "i have to carry drugs for the older boys"),
    ("criminal-exploitation", "i owe the dealers loads of money"),
    ("online-grooming", "someone online wants me to send nudes"),
    ("online-grooming", "some guy on roblox keeps asking for photos of me"),
    ("unsafe-at-home", "i do not feel safe living with my dad"),
    ("unsafe-at-home", "i am too scared to sleep in my house"),
    ("secret", "i have got a secret i need to tell someone"),
    ("secret", "please promise you will not tell anyone"),
]

# Ordinary chatter children put around what matters. None of it negates or
# explains away what follows (that is tested elsewhere).
CHATTER = [
    "hi",
    "hiya",
    "so yeah",
    "idk",
    "ok so",
    "anyway",
    "lol",
    "school was ok today",
    "we had pizza for tea",
    "can i go to the park later",
    "my review is next week",
    "i got a new phone case",
    "not sure but",
    "um",
    "this is hard to say",
    "thanks for listening",
    "bye",
    "😢",
    "💔💔",
    "👨\u200d👩\u200d👧",
]

SEPARATORS = [" ", "  ", "\t", "\n", " , ", ", ", ". ", " ... ", "! ", "? ", " - ", " 😭 ", " 🙏 "]
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@cache
def detector() -> Detector:
    return Detector.from_directory(PHRASES)


def fires(text: str, category: str) -> bool:
    result = detector().check(text)
    return result.concern and category in result.categories


@st.composite
def varied(draw: st.DrawFn, phrase: str) -> str:
    """The phrase with its case, spacing, punctuation, letters and surroundings varied."""
    words = phrase.split()
    out = []
    for word in words:
        letters = list(word)
        if draw(st.booleans()):  # repeat one letter, "hiiits"
            i = draw(st.integers(0, len(letters) - 1))
            if letters[i].isalpha():
                letters[i] = letters[i] * draw(st.integers(2, 5))
        if len(word) >= 3 and draw(st.integers(0, 4)) == 0:  # leetspeak on one letter
            spots = [i for i, ch in enumerate(letters) if ch in LEET]
            if spots:
                i = draw(st.sampled_from(spots))
                letters[i] = LEET[letters[i]]
        if len(word) >= 2 and draw(st.integers(0, 5)) == 0:  # an invisible character inside
            i = draw(st.integers(1, len(letters) - 1))
            letters.insert(i, draw(st.sampled_from(INVISIBLE)))
        text = "".join(letters)
        case = draw(st.sampled_from(["lower", "upper", "title", "random"]))
        if case == "upper":
            text = text.upper()
        elif case == "title":
            text = text.title()
        elif case == "random":
            mask = draw(st.integers(0, 2 ** len(text) - 1))
            text = "".join(c.upper() if mask >> i & 1 else c for i, c in enumerate(text))
        out.append(text)
    body = out[0]
    for word in out[1:]:
        body += draw(st.sampled_from(SEPARATORS)) + word
    prefix = draw(st.lists(st.sampled_from(CHATTER), max_size=3))
    suffix = draw(st.lists(st.sampled_from(CHATTER), max_size=3))
    end = draw(st.sampled_from(["", ".", "!!!", "??", " 😞", " ...", "\n"]))
    parts = [*prefix, body + end, *suffix]
    return draw(st.sampled_from([" ", ". ", "\n", " , "])).join(parts)


MODEST = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_core_phrases_fire_as_written() -> None:
    for category, phrase in CORE:
        assert fires(phrase, category), (category, phrase)


def test_core_phrases_are_not_copies_of_the_evaluation_set() -> None:
    lexicon = detector()._book.lexicon
    eval_texts = [
        " ".join(words_of(json.loads(line)["text"], lexicon))
        for line in EVAL.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for _, phrase in CORE:
        core = f" {' '.join(words_of(phrase, lexicon))} "
        for text in eval_texts:
            assert core not in f" {text} ", (phrase, text)
            if text.count(" ") >= 2:  # whole eval sentences of 3+ words
                assert f" {text} " not in core, (phrase, text)


@pytest.mark.parametrize(("category", "phrase"), CORE, ids=[p for _, p in CORE])
def test_simple_variants_of_each_core_phrase(category: str, phrase: str) -> None:
    stretched = " ".join(w[0] + w[0] + w + w[-1] * 3 if w.isalpha() else w for w in phrase.split())
    for text in (
        phrase.upper(),
        phrase.title() + "!!!",
        "  ".join(phrase.split()) + " 😭😭",
        "...".join(phrase.split()),
        stretched,
        f"hi so yeah {phrase} anyway bye",
        phrase.replace(" ", "​ "),
    ):
        assert fires(text, category), repr(text)


@settings(max_examples=200, deadline=None, database=None)
@given(core=st.sampled_from(CORE), data=st.data())
def test_disclosure_survives_how_it_is_typed(core: tuple[str, str], data: st.DataObject) -> None:
    category, phrase = core
    text = data.draw(varied(phrase))
    assert fires(text, category), repr(text)


@MODEST
@given(text=st.text(alphabet=st.characters(blacklist_categories=()), max_size=400))
def test_any_text_gives_a_detection(text: str) -> None:
    first = detector().check(text)
    assert isinstance(first, Detection)
    assert first.concern == bool(first.categories)
    assert list(first.categories) == sorted(set(first.categories))
    assert set(first.categories) <= {*CATEGORIES, CLASSIFIER_CATEGORY}
    assert detector().check(text) == first  # deterministic


@MODEST
@given(
    before=st.text(alphabet=st.characters(blacklist_categories=()), max_size=60),
    after=st.text(alphabet=st.characters(blacklist_categories=()), max_size=60),
    core=st.sampled_from(CORE),
)
def test_disclosure_inside_random_noise(before: str, after: str, core: tuple[str, str]) -> None:
    """Arbitrary characters around a disclosure, separated by a space, never hide it."""
    category, phrase = core
    # Noise that ends in a letter/digit would join the first word; keep a separator.
    text = f"{before} \u2063 {phrase} \u2063 {after}"
    assume(text)
    result = detector().check(text)
    if category != "self-harm":
        # Random noise can contain a negation word ("not") just before the phrase.
        assume(not set(words_of(before, detector()._book.lexicon)[-4:]) & {"not", "no", "never"})
    assert result.concern, repr(text)  # nothing around a disclosure hides it
    if category not in result.categories:
        # The separator is invisible, so the first word of the noise can finish the phrase as
        # another disclosure ("kicks me" + "out" is being thrown out): only then may the
        # category differ, and the phrase with that word alone must read the same way.
        following = words_of(after, detector()._book.lexicon)[:1]
        assert following, repr(text)
        alone = detector().check(f"{phrase} {following[0]}")
        assert alone.concern and category not in alone.categories, repr(text)


@MODEST
@given(text=st.text(alphabet=string.printable, max_size=300))
def test_printable_text_never_raises(text: str) -> None:
    detector().check(text)
