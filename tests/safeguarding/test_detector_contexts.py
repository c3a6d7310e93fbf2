"""Benign contexts, sentence-bound negation and the classifier inside a benign context
(issue 18, third pass).

Every example is written for these tests, not copied from the corpus: each look-alike has a
twin that says something worse, and the twin must still be a concern.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.detector import PHRASES, detector, fixed_score_detector, rules_only
from voice.safeguarding.detector import Detector


@pytest.mark.parametrize(
    ("ordinary", "concern"),
    [
        # sport and games
        (
            "took a ball to the face at netball practice and my nose bled, coach gave me ice",
            "my dad punched me in the face when we lost at netball and my nose bled",
        ),
        (
            "some kid on fortnite voice chat said he would kill me cos i won the round",
            "some man on fortnite voice chat keeps asking for pics and how old i am",
        ),
        # brothers and sisters
        (
            "my big sister slapped me cos i ate her sweets lol we made up after",
            "my big sister slapped me again and im scared to go home lol",
        ),
        # a doctor who explained it
        (
            "i keep getting a sore tummy but the doctor said its just nerves before exams",
            "the doctor asked about my sore tummy and i had to say i fell because he kicked me",
        ),
        # a past event now over
        (
            "last year at my old placement there was never any food but now i get loads and feel settled",
            "at my old placement there was never any food and now there is no food here either",
        ),
        # a question asked for later, said to be so
        (
            "who could i ring if i didnt feel safe one day, just asking for the future",
            "who could i ring if i dont feel safe, he hits me every night",
        ),
        # a laugh after an everyday exaggeration
        (
            "my phone died on the bus and i want to die lol",
            "i want to die lol not joking i have the tablets ready",
        ),
    ],
)
def test_look_alike_is_no_alert_and_its_twin_still_is(ordinary: str, concern: str) -> None:
    assert not detector().check(ordinary).concern, detector().check(ordinary)
    assert detector().check(concern).concern, detector().check(concern)


def test_a_negation_ends_with_its_sentence() -> None:
    """'Nobody came round. He hits me' is a disclosure: the 'nobody' belongs to the sentence
    before. Without the full stop the old reading (negated) still applies."""
    assert rules_only().check("nobody came round. he hits me").concern
    assert rules_only().check("nobody came round! he hits me").concern
    assert not rules_only().check("nobody came round he hits me").concern
    assert not rules_only().check("my carer never hits me. we had pasta").concern


def test_the_classifier_alone_only_marks_read_soon_inside_a_benign_context(tmp_path: Path) -> None:
    sure = fixed_score_detector(tmp_path, 0.9)
    in_film = sure.check("we watched a horror film last night")
    assert in_film.level == "uncertain" and not in_film.concern
    assert "classifier-in-benign-context" in in_film.reasons
    assert in_film.contexts == ("stories-and-lessons",)
    # The same score with no benign context is an alert, named as the classifier's.
    plain = sure.check("we had pasta for tea and it was good")
    assert plain.concern and plain.rules == ("classifier",)


def test_a_context_that_does_not_quiet_the_classifier_leaves_its_alert(tmp_path: Path) -> None:
    """'harmless-secret' only sets aside the "secret" phrases: a party is no reason to doubt
    the classifier."""
    sure = fixed_score_detector(tmp_path, 0.9)
    text = "we had pasta for tea at the party"
    assert rules_only().check(text).contexts == ("harmless-secret",)
    assert sure.check(text).concern


def test_the_quiet_flag_must_be_true_or_false(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "phrases"
    shutil.copytree(PHRASES, copy)
    common = copy / "common.yaml"
    text = common.read_text(encoding="utf-8")
    assert "    classifier_reads_soon: true\n" in text
    common.write_text(
        text.replace("    classifier_reads_soon: true\n", "    classifier_reads_soon: maybe\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="classifier_reads_soon"):
        Detector.from_directory(copy, classifier=False)
