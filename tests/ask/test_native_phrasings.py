"""Questions written natively in a language (content/faq/phrasings/) teach that language's
matcher the words children really use, beside the examples translated from English."""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz

from voice.ask.evaluation import read_tsv
from voice.ask.loader import load_matcher, translated_matchers
from voice.config import PROJECT_ROOT
from voice.content.faq import load_faq, load_phrasings

CONTENT = PROJECT_ROOT / "content"
TOPICS = {t.id for t in load_faq(CONTENT)}
LOCALES = sorted(p.stem for p in (CONTENT / "faq" / "phrasings").glob("*.yaml"))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_phrasings_file_covers_every_topic_and_is_marked_draft_or_reviewed(locale):
    phrasings = load_phrasings(CONTENT, locale, TOPICS)
    assert set(phrasings) == TOPICS
    assert all(len(questions) >= 5 for questions in phrasings.values())


@pytest.mark.parametrize("locale", LOCALES)
def test_each_native_question_is_matched_to_its_own_topic_by_its_language(locale):
    """The matcher learns them: nearly every one is ranked first for its own topic (a few may
    sit closer to a neighbour, which is what calibration is for)."""
    matcher = load_matcher(CONTENT) if locale == "en" else translated_matchers(CONTENT)[locale]
    phrasings = load_phrasings(CONTENT, locale, TOPICS)
    pairs = [(topic, q) for topic, questions in phrasings.items() for q in questions]
    first = sum(1 for topic, q in pairs if [m.topic_id for m in matcher.match_all(q, k=1)] == [topic])
    assert first / len(pairs) >= 0.9


def _content_with(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "faq" / "phrasings"
    folder.mkdir(parents=True)
    (folder / "xx.yaml").write_text(body, encoding="utf-8")
    return tmp_path


def test_a_misspelt_topic_id_is_an_error_naming_the_file(tmp_path):
    content = _content_with(tmp_path, "status: draft\nphrasings:\n  sibblings:\n    - one\n")
    with pytest.raises(ValueError, match=r"phrasings/xx.yaml: sibblings.*not a topic id"):
        load_phrasings(content, "xx", TOPICS)


def test_a_file_without_a_status_or_with_a_bare_question_is_refused(tmp_path):
    content = _content_with(tmp_path, "phrasings:\n  siblings: one question\n")
    with pytest.raises(ValueError) as raised:
        load_phrasings(content, "xx", TOPICS)
    assert "status: draft" in str(raised.value) and "expected a list of questions" in str(raised.value)


def test_a_language_without_a_file_has_no_extra_questions(tmp_path):
    assert load_phrasings(tmp_path, "pl", TOPICS) == {}


def _held_out_questions(locale: str) -> list[str]:
    """Every question measured as held-out in `locale`: its own translated held-out file, the
    independent writers' sets still in use (tests/data/ask-independent/*.tsv) and the public
    questions paraphrased by researchers (tests/data/ask-public/)."""
    data = PROJECT_ROOT / "tests" / "data"
    files = [
        data / "ask" / "lang" / f"{locale}.tsv",
        *(data / "ask-independent").glob(f"*-{locale}.tsv"),
        *(data / "ask-public").glob(f"*-{locale}.tsv"),
    ]
    return [q.question for f in files if f.exists() for q in read_tsv(f)]


@pytest.mark.parametrize("locale", LOCALES)
def test_no_held_out_question_is_copied_into_a_languages_examples(locale):
    """Spent sets may join the examples (tests/data/ask-independent/spent/); a set still
    measured as held-out must not, word for word or nearly."""
    examples = {
        " ".join(q.split()).casefold() for qs in load_phrasings(CONTENT, locale, TOPICS).values() for q in qs
    }
    copied = []
    for question in _held_out_questions(locale):
        key = " ".join(question.split()).casefold()
        if key in examples or any(fuzz.ratio(key, e) >= 95 for e in examples):
            copied.append(question)
    assert not copied, f"held-out questions in {locale} examples: {copied}"
