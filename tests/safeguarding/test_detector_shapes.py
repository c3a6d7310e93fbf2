"""General shapes of disclosure added in the fourth pass of issue 18, and the classifier's
negation-marked features.

Every message is written for these tests, not copied from the corpus: each shape is said in
a way no source says it, and each has an ordinary look-alike that must stay quiet. The phrase
lists are checked alone (no classifier), so a test fails when its rule is removed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from voice.safeguarding.classifier import features
from voice.safeguarding.detector import Detector

ROOT = Path(__file__).resolve().parents[2]
PHRASES = ROOT / "content" / "safeguarding"


@cache
def rules_only() -> Detector:
    return Detector.from_directory(PHRASES, classifier=False)


@pytest.mark.parametrize(
    ("message", "category"),
    [
        # a goodbye: belongings given away, love passed on with "they'll be ok"
        ("if im not around my cousin gets to keep my xbox and all my games", "self-harm"),
        ("pls tell my nan i luv her n she will be fine without me", "self-harm"),
        # a person + a harmful act + on my body
        ("my stepdad stubbed his ciggie out on my leg when i answered back", "physical-harm"),
        ("she pushed my hand onto the hob because i was slow with tea", "physical-harm"),
        ("got booted again on the stairs this morning", "physical-harm"),
        # being made to keep quiet: an order and a threat
        ("auntie says keep my mouth shut about the cellar or i will be taken away", "secret"),
        ("if you say anything at school you will never see your dog again he said", "secret"),
        ("what goes on in our flat stays in our flat thats what they tell me", "secret"),
        # the means looked up or put away
        ("i looked up how much medicine it would take to not wake up", "self-harm"),
        ("ive got some pills hid under my mattress for when its too much", "self-harm"),
        ("it would be easier for everyone if i was not alive", "self-harm"),
        # absence said as an act
        ("snuck out the back door after midnight and nobody noticed i had gone", "missing"),
        ("my rucksack is packed and a lad from the estate is picking me up tonight", "missing"),
        # a weapon shown
        ("mums boyfriend pulled a knife on the stairs and waved it about", "unsafe-at-home"),
    ],
)
def test_a_new_wording_of_each_shape_is_a_concern(message: str, category: str) -> None:
    found = rules_only().check(message)
    assert found.concern, message
    assert category in found.categories, (message, found.categories)


@pytest.mark.parametrize(
    "message",
    [
        "my sister can keep my old bike now i have a new one",
        "we lost to the county side in the semi final but it was close",
        "keep it a secret but i think i fancy the new girl in maths",
        "the exam is tomorrow and i am going to die, not literally, just stressed",
        "i climbed out the window of the wendy house in the garden",
        "my bag is packed for the residential and my carer is picking me up at four",
        "grandad has a knife for carving the chicken on sundays",
        "the teacher said dont chat in the test or you will lose marks",
        "i left home in year 8 for a few hours and that was years ago, im not going anywhere now",
    ],
)
def test_look_alikes_of_the_new_shapes_raise_no_alert(message: str) -> None:
    assert not rules_only().check(message).concern, message


def test_negated_words_are_features_of_their_own() -> None:
    """ "he never kicks me" and "he kicks me" share the word but not the negated word."""
    negated = features(["he", "never", "kicks", "me"])
    plain = features(["he", "kicks", "me"])
    assert "n:kick" in negated
    assert "n:kick" not in plain
    assert "w:kick" in negated and "w:kick" in plain
    # The negation reaches three words and no further.
    assert "n:kick" not in features(["not", "a", "b", "c", "kicks"])
