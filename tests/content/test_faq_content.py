"""FAQ topics and synonyms: real content loads, and broken content fails clearly."""

from __future__ import annotations

import re

import pytest

from voice.content.faq import REQUIRED_TOPICS, load_faq, load_synonyms
from voice.content.readability import strip_markdown
from voice.content.rights import load_rights

from .helpers import CONTENT_DIR, copy_content, edit_yaml


@pytest.fixture(scope="module")
def topics():
    return load_faq(CONTENT_DIR)


def test_every_required_topic_is_there(topics):
    assert {t.id for t in topics} >= set(REQUIRED_TOPICS)


def test_topics_have_enough_varied_examples(topics):
    for t in topics:
        assert 10 <= len(t.examples) <= 20, t.id
        assert len(set(t.examples)) == len(t.examples), t.id


def test_answers_are_short(topics):
    for t in topics:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", strip_markdown(t.answer).strip()) if s]
        assert 2 <= len(sentences) <= 5, (t.id, len(sentences))


def test_links_resolve(topics):
    rights = load_rights(CONTENT_DIR)
    for t in topics:
        assert t.links, t.id
        for link in t.links:
            assert link in rights.link_ids()


def test_safety_answer_gives_the_numbers(topics):
    help_now = next(t for t in topics if t.id == "get-help-now")
    assert "999" in help_now.answer
    assert "0800 1111" in help_now.answer


def test_synonyms_turn_child_words_into_content_words():
    synonyms = load_synonyms(CONTENT_DIR)
    assert synonyms["sw"] == "social worker"
    assert synonyms["bro"] == "brother"
    assert synonyms["contact"] == "family time"
    assert synonyms["foster mum"] == "foster carer"
    assert synonyms["whats"] == "what is"
    assert synonyms["cos"] == synonyms["coz"] == "because"


# --- broken content -----------------------------------------------------------------


def _faq_error(content) -> str:
    with pytest.raises(ValueError) as excinfo:
        load_faq(content)
    return str(excinfo.value)


def test_unknown_link_names_file_and_topic(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(content / "faq/iro.yaml", lambda d: d["links"].append("article-99"))
    message = _faq_error(content)
    expected = "content/faq/iro.yaml: iro: link 'article-99' is not a principle, article or glossary id"
    assert expected in message


def test_missing_field(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(content / "faq/advocate.yaml", lambda d: d.pop("answer"))
    assert "content/faq/advocate.yaml: advocate: missing field 'answer'" in _faq_error(content)


def test_missing_required_topic(tmp_path):
    content = copy_content(tmp_path)
    (content / "faq/siblings.yaml").unlink()
    assert "content/faq: required topic 'siblings' is missing" in _faq_error(content)


def test_duplicate_topic_id(tmp_path):
    content = copy_content(tmp_path)
    (content / "faq/iro-copy.yaml").write_text(
        (content / "faq/iro.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    message = _faq_error(content)
    assert "duplicate topic id 'iro'" in message
    assert "id 'iro' should match the file name 'iro-copy'" in message


def test_too_few_examples(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(content / "faq/money.yaml", lambda d: d.__setitem__("examples", d["examples"][:3]))
    assert "content/faq/money.yaml: money: has 3 examples" in _faq_error(content)


def test_same_example_in_two_topics(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(content / "faq/money.yaml", lambda d: d["examples"].append("Can I see my siblings??"))
    edit_yaml(content / "faq/siblings.yaml", lambda d: d["examples"].append("can i see my siblings"))
    assert "is also an example of" in _faq_error(content)


def test_synonym_listed_under_two_words(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(content / "faq/synonyms.yaml", lambda d: d["synonyms"]["sister"].append("bro"))
    with pytest.raises(ValueError) as excinfo:
        load_synonyms(content)
    assert "content/faq/synonyms.yaml: sister: 'bro' is already listed under 'brother'" in str(excinfo.value)
