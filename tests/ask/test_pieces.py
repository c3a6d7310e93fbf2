"""Issue 22, third round: pieces of words for languages that build long words, invisible
joiners, and English weak words counted only as typed."""

from __future__ import annotations

import dataclasses

from voice.ask import languages
from voice.ask.grams import grams
from voice.ask.matcher import Matcher
from voice.ask.text import tokenize

from .heldout import Topic, matcher

# Sorani Kurdish: "براکەم" (my brother) in the examples; a child types "براکانمان" (our
# brothers), three edits away from it (so the spelling fix leaves it alone) and a form the
# stemmer does not take back to "برا". Its other words are in both topics.
KURDISH = [
    Topic("siblings", "", ("دەتوانم براکەم ببینم", "کەی خوشکەکەم دەبینم")),
    Topic("family-time", "", ("دەتوانم دایکم ببینم", "کەی باوکم دەبینم")),
    Topic("school", "", ("قوتابخانەکەم دەگۆڕم",)),
]
QUESTION = "دەتوانم براکانمان ببینم"


def test_a_form_no_example_uses_is_found_by_its_pieces():
    ranked = Matcher(KURDISH, language="ckb").match_all(QUESTION, k=2)
    assert [m.topic_id for m in ranked] == ["siblings", "family-time"]
    assert ranked[0].score > ranked[1].score


def test_whole_words_alone_cannot_tell_the_two_apart(monkeypatch):
    whole_words = dataclasses.replace(languages.LANGUAGES["ckb"], char_weight=0.0)
    monkeypatch.setitem(languages.LANGUAGES, "ckb", whole_words)
    ranked = Matcher(KURDISH, language="ckb").match_all(QUESTION, k=2)
    assert ranked[0].score == ranked[1].score


def test_pieces_stay_inside_a_word():
    assert grams(["برا", "ab"]) == ["<بر", "برا", "را>", "<ab", "ab>"]
    assert grams(["a"]) == ["<a>"]


def test_english_does_not_use_pieces():
    assert matcher().language.char_weight == 0.0


def test_a_zero_width_non_joiner_does_not_split_a_word():
    # A Persian keyboard writes "می‌توانم" with a non-joiner; another keyboard writes it joined.
    assert tokenize("می\u200cتوانم", fold=True) == tokenize("میتوانم", fold=True)
    assert len(tokenize("می\u200cتوانم", fold=True)) == 1
    assert tokenize("re\u200bview") == ["review"]


def test_a_weak_word_is_weak_only_as_typed():
    m = matcher()
    # "right" is weak ("right now", "is it right"); "rights" is the topic.
    found = m.match("what are my rights")
    assert found is not None and found.topic_id == "rights"
    # "move" alone is weak ("move my minecraft world"); "moved" is being moved.
    found = m.match("am i gonna be moved")
    assert found is not None and found.topic_id == "placement-move"
    assert m.match("how do i move my minecraft world to a new laptop") is None
    assert m.match("what is it") is None
