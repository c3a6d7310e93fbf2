"""Concern, "please read soon", or nothing: the detector's three levels, and why.

Examples here are written for these tests (not taken from the corpus) and cover each kind
of message issue 18 says the old detector missed, the three questions that raised
frightening false alarms, and input the detector cannot judge.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.detector import detector, fixed_score_detector
from voice.safeguarding.classifier import Classifier, features, lemma
from voice.safeguarding.detector import CLASSIFIER_RULE


@pytest.mark.parametrize(
    "text",
    [
        "will my parents still have a say in what happens to me",
        "can my social worker take me out so I can talk without my carers there",
        "I'm an asylum seeker, will I get sent back when I'm 18",
        "Will my mum and dad still get a say about my life now I'm in care?",
        "could my social worker see me at school so we can chat without my foster carers there",
        "im seeking asylum, do I get sent back when I turn 18?",
    ],
)
def test_the_three_frightening_false_alarms_are_ordinary(text: str) -> None:
    result = detector().check(text)
    assert result.level == "none", result
    assert not result.concern


@pytest.mark.parametrize(
    "text",
    [
        # a carer's partner undressing or touching, without "abuse" or "touch"
        "when mum is at work her boyfriend strips off and tells me to sit next to him",
        "my foster mums partner pulls my towel away when i come out the shower",
        # sextortion
        "i sent him one photo and now he wants loads more or he'll put it on my story",
        # criminal exploitation
        "a lad gave me forty quid to drop a bag at an address across town",
        "i been sleeping at an older mans flat and he keeps sending me on errands with packages",
        # suicidal thoughts as a place and an act
        "stood on the motorway bridge last night thinking about jumping",
        # escalating self-harm without the word
        "the cuts on my legs are getting deeper and i need to do it every night now",
        # neglect
        "there has been no food in the flat since friday",
        "they keep the snacks locked in the cupboard and we only eat at set times",
        # coercive fear
        "he backs me into the corner of the kitchen and screams at me",
        "she made me lie to the nurse about how my arm got hurt",
        # fear of other children in a new children's home
        "the older kids in my new childrens home said they will get me tonight",
    ],
)
def test_the_missed_kinds_from_the_issue_are_concerns(text: str) -> None:
    result = detector().check(text)
    assert result.concern and result.level == "concern", result


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("😢😢😢", "no-words"),
        ("🙁 💔 😭", "no-words"),
        ("Tata mnie bije kiedy jest pijany i boję się wracać", "not-english"),
        ("Mi padrastro me pega cuando bebe y tengo miedo de volver a casa", "not-english"),
        ("আমি বাড়িতে নিরাপদ বোধ করি না", "not-english"),
        ("my carer is ok но иногда он кричит на меня очень сильно", "mixed-scripts"),
    ],
)
def test_what_it_cannot_judge_is_please_read_soon(text: str, reason: str) -> None:
    result = detector().check(text)
    assert result.level == "uncertain" and result.read_soon, result
    assert not result.concern
    assert reason in result.reasons


def test_a_very_long_message_is_read_soon_and_a_concern_in_it_is_still_found() -> None:
    chatter = "today we had maths and then lunch and then football on the field " * 400
    long_ordinary = detector().check(chatter)
    assert long_ordinary.level == "uncertain" and "too-long-to-screen" in long_ordinary.reasons
    late_concern = detector().check(chatter + " and my step dad hits me every night")
    assert late_concern.level == "concern" and "physical-harm" in late_concern.categories


def test_an_empty_or_punctuation_message_is_ordinary() -> None:
    for text in ("", "   ", "...", "?!"):
        assert detector().check(text).level == "none"


def test_a_rule_concern_names_its_rule_and_phrase() -> None:
    result = detector().check("a lad gave me forty quid to drop a bag at an address across town")
    assert result.rules and result.rules[0].startswith("criminal-exploitation:")
    info = detector().explain(result.rules[0])
    assert info.phrase and info.why


def test_a_classifier_concern_names_the_words_that_led_to_it() -> None:
    hits = [
        detector().check(t)
        for t in (
            "he took me to his mates and they gave me stuff and made me stay over",
            "nobody feeds us proper and the little ones cry at night",
            "i owe them and they said it's my turn to go out for them",
        )
    ]
    by_classifier = [r for r in hits if r.rules == (CLASSIFIER_RULE,)]
    assert by_classifier, hits
    for result in by_classifier:
        assert result.level == "concern" and result.categories == ("possible-concern",)
        assert result.evidence and result.probability is not None
    assert detector().explain(CLASSIFIER_RULE).category == "possible-concern"


def test_a_negated_rule_match_is_never_raised_to_an_alert_by_the_classifier() -> None:
    result = detector().check("my carer never hits me")
    assert not result.concern
    assert result.cancelled  # the rule saw the words and set them aside


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000,
        "ok " * 50_000,
        "\u202e\u200b\u0000" * 1000,
        "🙂" * 20_000,
        "日本語のテキスト" * 2000,
        "my carer \ud800 hits me",
        "Ω≈ç√∫˜µ≤≥÷ åß∂ƒ©˙∆˚¬…æ",
    ],
)
def test_bad_input_never_crashes(text: str) -> None:
    result = detector().check(text)
    assert result.level in ("concern", "uncertain", "none")


@pytest.mark.parametrize("text", ["n", "N", "k", "y", "ok", "no", "idk", "yes x"])
def test_one_or_two_word_answers_are_judged_by_the_phrase_lists_alone(text: str) -> None:
    """A child tapping "n" for no is not a concern: the classifier once read "n" (as "and")
    at 0.97. Speed is measured in bench/bench_detector.py, not here."""
    assert detector().check(text).level == "none"


def test_lemmatiser_and_features() -> None:
    words = ["cutting", "stopped", "hurries", "bus", "punches", "kicked"]
    assert [lemma(w) for w in words] == ["cut", "stop", "hurry", "bus", "punch", "kick"]
    names = features(["no", "food"])
    assert "w:no" in names and "b:no_food" in names and "c: no " in names


def test_the_classifier_file_is_plain_numbers_and_refuses_anything_else(tmp_path: Path) -> None:
    bad = tmp_path / "classifier.json"
    bad.write_text('{"format": "pickle"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a Voice concern classifier"):
        Classifier.load(bad)
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read the classifier"):
        Classifier.load(bad)


@pytest.mark.parametrize(
    "text",
    [
        # a phone that must be obeyed (written for this test, not from the corpus)
        "every time that phone buzzes i got to go wherever the message says even at night",
        # grabbed by the neck at contact
        "at contact my dad held me by the throat when i said i wanted to leave",
        # a medicine nobody collected
        "nobody picked up my insulin from the chemist and ive been feeling dizzy",
        # an address posted in a group chat
        "some girls put my home address in the group chat and said theyre coming round",
        # moved between places, not knowing where
        "they keep moving me between different flats and i dont know what town this is",
    ],
)
def test_kinds_the_independent_writers_found_are_concerns(text: str) -> None:
    result = detector().check(text)
    assert result.level == "concern", result


@pytest.mark.parametrize(
    "text",
    [
        "this level is impossible, the final boss keeps killing me every single go",
        "my carer cut my fringe way too short and now i look like a lego man",
        "i used to go missing all the time but i havent done it since the summer and i feel settled",
        "my sister is going to kill me when she finds out i wore her hoodie lol",
        "im starving after football training, whats for tea",
    ],
)
def test_everyday_look_alikes_raise_no_alert(text: str) -> None:
    assert not detector().check(text).concern


def test_a_rule_match_set_aside_is_read_soon_when_the_classifier_leans_to_concern(tmp_path: Path) -> None:
    """A wrong negation must not make a disclosure silent: between the set-aside threshold and
    the middle band, a message whose rule was set aside is "please read soon"; the same score
    on a message no rule matched stays ordinary."""
    unsure = fixed_score_detector(tmp_path, 0.45)
    negated = unsure.check("my carer never hits me")
    assert negated.level == "uncertain" and "classifier-against-negation" in negated.reasons
    assert not negated.concern
    assert unsure.check("we had pasta for tea and watched a film").level == "none"
    calm = fixed_score_detector(tmp_path, 0.2)
    assert calm.check("my carer never hits me").level == "none"
    middle = fixed_score_detector(tmp_path, 0.55)
    assert middle.check("we had pasta for tea and watched a film").level == "uncertain"
