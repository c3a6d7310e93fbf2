"""Reading age: the scorer behaves, and every explainer and answer is under the limit."""

from __future__ import annotations

import pytest

from voice.content.faq import load_faq
from voice.content.readability import (
    MAX_READING_AGE,
    TARGET_READING_AGE,
    count_syllables,
    readable_items,
    reading_age,
    strip_markdown,
    summarise,
    text_stats,
)
from voice.content.rights import load_rights

from .helpers import CONTENT_DIR


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("care", 1),
        ("carer", 2),
        ("review", 2),
        ("reviewing", 3),
        ("independent", 4),
        ("advocate", 3),
        ("family", 3),
        ("families", 3),
        ("discrimination", 5),
        ("moved", 1),
        ("wanted", 2),
        ("little", 2),
        ("while", 1),
        ("lonely", 2),
        ("experience", 4),
        ("stories", 2),
        ("IRO", 3),
        ("PEP", 1),
        ("UNCRC", 5),
        ("someone's", 2),
        ("0800", 2),
    ],
)
def test_syllable_counter(word, syllables):
    assert count_syllables(word) == syllables


def test_markdown_is_stripped_and_list_items_are_sentences():
    text = "# Heading\n\n- one [link](https://example.org) here\n- **two**\n"
    plain = strip_markdown(text)
    assert "https" not in plain
    assert "*" not in plain
    assert text_stats(text).sentences == 3


def test_harder_text_scores_older():
    easy = "You can say what you think. We will listen to you."
    hard = (
        "The Independent Reviewing Officer has responsibility for monitoring the "
        "performance of the local authority in relation to the implementation of the plan."
    )
    assert reading_age(easy) < 9 < 14 < reading_age(hard)
    assert reading_age("") == 0.0


def test_all_content_is_under_the_reading_age_limit(capsys):
    rights = load_rights(CONTENT_DIR)
    items = readable_items(rights, load_faq(CONTENT_DIR, rights))
    scored = sorted(((reading_age(text), label) for label, text in items), reverse=True)
    stats = summarise([age for age, _ in scored])
    with capsys.disabled():
        print(
            f"\nreading age over {stats['count']} items: median {stats['median']}, "
            f"p90 {stats['p90']}, max {stats['max']} (limit {MAX_READING_AGE})"
        )
        print("  hardest five: " + ", ".join(f"{label} {age}" for age, label in scored[:5]))
    too_hard = [(label, age) for age, label in scored if age > MAX_READING_AGE]
    assert not too_hard, f"over reading age {MAX_READING_AGE}: {too_hard}"
    assert stats["median"] <= TARGET_READING_AGE
