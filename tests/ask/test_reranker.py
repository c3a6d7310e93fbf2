"""The learned re-ranker (voice/ask/reranker.py): fitted on the content it ships with, it lets
the words that tell topics apart decide, and the matcher still works without it."""

from __future__ import annotations

import json

import pytest

from voice.ask import evaluation as ev
from voice.ask.loader import load_matcher
from voice.ask.matcher import Matcher
from voice.ask.reranker import RERANKER_FILE, Reranker, features, questions_hash
from voice.config import PROJECT_ROOT

from .heldout import Topic

CONTENT = PROJECT_ROOT / "content"
DATA = PROJECT_ROOT / "tests" / "data"


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


def test_the_shipped_weights_learned_from_the_researchers_questions_as_they_are_now(matcher):
    """A line of the researchers' files the fit reads (`evaluation.RERANKER_QUESTIONS`, in
    tests/data/ask-public/) changed, or a topic came or went, without a refit: the weights learned
    from other questions."""
    known = {t.id for t in matcher.topics}
    learned = [(q.topic, q.question) for q in ev.reranker_questions(DATA) if q.topic in known]
    assert len(learned) > 800, "the researchers' public questions are missing"
    assert matcher.reranker is not None and matcher.reranker.questions == questions_hash(learned), (
        "run `.venv/bin/python -m bench.bench_ask --fit` and commit voice/ask/words/"
    )


def test_the_researchers_files_read_as_labelled_questions(tmp_path):
    path = tmp_path / "public-zz-sources.txt"
    path.write_text(
        "# notes\nsiblings\tcan i see my brother\texample.org/a\n-\twhat is the best phone\texample.org/b\n"
        "\n"
        "broken line with no tab\n",
        encoding="utf-8",
    )
    rows = ev.read_sources(path)
    assert [(r.topic, r.question, r.source) for r in rows] == [
        ("siblings", "can i see my brother", "public-zz"),
        (None, "what is the best phone", "public-zz"),
    ]


@pytest.mark.parametrize(
    ("question", "topic", "plain_bm25"),
    [
        # Written for this test (not in any question set): BM25 alone lets a word used once in
        # another topic's examples ("christmas", "need ... school") decide.
        ("am i allowed to see my mum at christmas", "family-time", "former-carers"),
        ("once im in care will i need a new school", "school", "telling-school"),
    ],
)
def test_the_words_that_tell_topics_apart_decide(matcher, question, topic, plain_bm25):
    assert matcher.match_all(question, k=1)[0].topic_id == topic
    assert ev.with_reranker(matcher, None).match_all(question, k=1)[0].topic_id == plain_bm25


def test_a_fit_learns_that_a_word_many_examples_share_belongs_to_their_topic():
    """The words "mum" and "dad" are in most family examples and in one review example, so BM25 finds them
    common and lets "meet", in one review example, decide; the fitted weights know better. Two
    topics also try the fit's two-class case (one row of weights)."""
    family = (
        "can i see my mum",
        "will i see my dad",
        "when do i see my mum and dad",
        "can my mum and dad visit",
        "how often will i see my mum",
        "can i phone my dad",
        "i miss my mum",
        "is my dad allowed to visit me",
    )
    review = (
        "what happens at my review",
        "who comes to my review",
        "can i meet my iro before my review",
        "do my mum and dad come to my review",
    )
    topics = [
        Topic("family-time", "Can I see my family?", family),
        Topic("review", "What is a review?", review),
    ]
    plain = Matcher(topics)
    question = "can i meet my mum and dad"
    assert plain.match_all(question, k=1)[0].topic_id == "review"
    fitted = ev.with_reranker(plain, ev.fit_reranker(plain))
    assert fitted.reranker is not None and fitted.reranker.fingerprint == plain.fingerprint
    assert fitted.reranker.questions == ""
    assert fitted.match_all(question, k=1)[0].topic_id == "family-time"


def test_a_fit_learns_from_real_questions_without_making_them_examples():
    """Children call a review "the big meeting"; the examples only use "meeting" for family time.
    Labelled questions from outside the content teach the re-ranker that use of the word, while
    BM25's examples stay as written; a question labelled with a topic the matcher lacks is left
    out. (The re-ranker reads only words the content knows, so the questions teach how known
    words are used, not new words.)"""
    topics = [
        Topic(
            "family-time",
            "Can I see my family?",
            ("can i see my mum", "when will i see my dad", "where is the meeting with my mum"),
        ),
        Topic("review", "What is a review?", ("what happens at my review", "who comes to my review")),
    ]
    plain = Matcher(topics)
    taught = [
        ev.Question("what is the big meeting about me", "review", "public-zz"),
        ev.Question("do i have to go to the big meeting", "review", "public-zz"),
        ev.Question("who is at the meeting about me", "review", "public-zz"),
        ev.Question("can my dog come to the big meeting", "pets", "public-zz"),
    ]
    question = "who goes to the meeting about me"
    without = ev.with_reranker(plain, ev.fit_reranker(plain))
    assert without.match_all(question, k=1)[0].topic_id == "family-time"
    reranker = ev.fit_reranker(plain, questions=taught)
    assert reranker.questions == questions_hash([(q.topic, q.question) for q in taught[:3]])
    assert ev.with_reranker(plain, reranker).match_all(question, k=1)[0].topic_id == "review"
    assert [len(t.examples) for t in plain.topics] == [3, 2]


def test_probabilities_cover_every_topic_the_fit_saw():
    reranker = Reranker(
        topics=("siblings", "money"),
        bias=(0.0, 0.0),
        weights={"brother": ((0, 2.0),), "brother see": ((0, 1.0),), "pocket": ((1, 2.0),)},
        fingerprint="x",
    )
    p = reranker.probabilities(["brother", "see"])
    assert set(p) == {"siblings", "money"}
    assert p["siblings"] > 0.9 and abs(sum(p.values()) - 1.0) < 1e-9
    assert features(["see", "brother"]) == ["see", "brother", "see brother"]


def test_a_topic_published_from_the_studio_since_the_fit_is_still_found(matcher):
    """The studio can add a topic at any time; the weights only learn of it at the next fit. Until
    then it keeps its own BM25 score rather than half of it."""
    pets = Topic(
        "pets",
        "Can my pet come with me?",
        (
            "can my dog come to my foster home",
            "will my cat come with me when i move",
            "can i keep my hamster",
        ),
    )
    topics = [*matcher.topics, pets]
    grown = Matcher(topics, language="en", calibration=matcher.calibration, reranker=matcher.reranker)
    assert grown.reranker is not None and grown.reranker.fingerprint != grown.fingerprint
    found = grown.match("will my dog be allowed to come with me")
    assert found is not None and found.topic_id == "pets"


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
