"""The learned re-ranker (voice/ask/reranker.py): fitted on the content it ships with, it lets
the words that tell topics apart decide, and the matcher still works without it."""

from __future__ import annotations

import json

import pytest

from voice.ask import evaluation as ev
from voice.ask.matcher import load_matcher
from voice.ask.reranker import RERANKER_FILE, Reranker, features
from voice.config import PROJECT_ROOT

CONTENT = PROJECT_ROOT / "content"


@pytest.fixture(scope="module")
def matcher():
    return load_matcher(CONTENT)


def test_the_shipped_weights_were_fitted_on_the_shipped_content(matcher):
    """Examples, keywords or synonyms changed without a refit: the weights describe other content."""
    assert matcher.reranker is not None, f"{RERANKER_FILE.name} is missing or unreadable"
    assert matcher.reranker.fingerprint == matcher.fingerprint, (
        "content/faq changed since the re-ranker was fitted: run "
        "`.venv/bin/python -m bench.bench_ask --fit` and commit voice/ask/words/"
    )
    assert list(matcher.reranker.topics) == [t.id for t in matcher.topics]


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # Tuning questions (tests/data/ask/public-*.tsv) that BM25 alone ranked wrongly, because a
        # word used once elsewhere ("meet", "jobs", "punishment") outweighed the words that tell.
        # On the public tuning sources the re-ranker put 62 questions right and 18 wrong.
        ("if i end up living in care do i still get to meet my mum and dad", "family-time"),
        ("am i gonna have to help with jobs round the house", "house-rules"),
        ("how long can my carers keep my phone for as a punishment", "phone-online"),
        ("will i have to switch schools now that im in foster care", "school"),
    ],
)
def test_the_words_that_tell_topics_apart_decide(matcher, question, topic):
    assert matcher.match_all(question, k=1)[0].topic_id == topic
    assert ev.with_reranker(matcher, None).match_all(question, k=1)[0].topic_id != topic


def test_probabilities_cover_every_topic_and_a_topic_the_fit_never_saw_gets_none():
    reranker = Reranker(
        topics=("siblings", "money"),
        bias=(0.0, 0.0),
        weights={"brother": ((0, 2.0),), "brother see": ((0, 1.0),), "pocket": ((1, 2.0),)},
        fingerprint="x",
    )
    p = reranker.probabilities(["brother", "see"], ["money", "siblings", "new-topic"])
    assert p[2] == 0.0
    assert p[1] > 0.9 and abs(sum(p) - 1.0) < 1e-9
    assert features(["see", "brother"]) == ["see", "brother", "see brother"]


def test_without_a_weights_file_the_matcher_still_answers(tmp_path, matcher):
    assert Reranker.load(tmp_path / "missing.json", "en") is None
    broken = tmp_path / "reranker.json"
    broken.write_text("{not json", encoding="utf-8")
    assert Reranker.load(broken, "en") is None
    broken.write_text(json.dumps({"en": {"topics": ["a"]}}), encoding="utf-8")
    assert Reranker.load(broken, "en") is None
    plain = ev.with_reranker(matcher, None)
    found = plain.match("can i see my brother")
    assert found is not None and found.topic_id == "siblings"


def test_the_file_round_trips(matcher):
    again = Reranker.from_dict(json.loads(json.dumps(matcher.reranker.as_dict())))
    assert again == matcher.reranker
