"""The content extractor: every translatable field, with the item id as msgctxt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from tests.i18n.conftest import ROOT
from voice.content.extract import NOT_TRANSLATED, is_covered, iter_content, rule_for

FLOW = """
id: chat
title: A chat
intro: Hello there.
default_options:
  scale: [{id: "1", label: Bad}, {id: "2", label: Good}]
  yesno: [{id: yes, label: "Yes"}, {id: "no", label: "No"}]
nodes:
  - {id: hi, type: message, text: Hi!, next: feel}
  - {id: feel, type: question, topic: home, answer: scale, text: "How are you?", hint: Tap one., next: why}
  - id: why
    type: question
    topic: home
    answer: text
    text: Why?
    placeholder: Write here
    next: pick
  - id: pick
    type: question
    topic: home
    answer: single
    text: Pick one
    options: [{id: a, label: Apples}, {id: "no", label: None of them}]
    next: bye
  - {id: split, type: branch, branches: [], default: bye}
  - {id: bye, type: end, text: Bye}
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    files = {
        "flows/chat.yaml": FLOW,
        "flows/topics.yaml": "topics:\n  - {id: home, title: Where I live}\n",
        "pages/help.yaml": "id: help\ntitle: Get help now\nbody: |\n  Call {phone}.\n",
        "rights/principles.yaml": (
            "principles:\n  - {id: dignity, title: Dignity, promise: P, summary: S, body: B, articles: [1]}\n"
        ),
        "rights/articles.yaml": (
            "articles:\n  - {id: article-12, number: 12, title: T, summary: S, means: M, example: E,\n"
            "     if_not_happening: I}\n"
        ),
        "rights/quiz.yaml": (
            'questions:\n  - {id: q1, question: "Q?", options: [{id: a, label: A}], answer: a,\n'
            "     explanation: X}\n"
        ),
        "glossary.yaml": "terms:\n  - {id: iro, term: IRO, also: [reviewing officer], definition: D}\n",
        "faq/siblings.yaml": (
            "id: siblings\ntitle: Can I see my sister?\nanswer: A\nlinks: []\nkeywords: [sis]\n"
            "examples: [can i see my sis, where is my brother]\n"
        ),
        "faq/synonyms.yaml": "synonyms:\n  sister: [sis]\n",
        "safeguarding/common.yaml": "version: 1\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_contexts_follow_the_scheme(content: Path) -> None:
    found = {entry.context: entry.english for entry in iter_content(content)}
    assert found == {
        "faq:siblings:title": "Can I see my sister?",
        "faq:siblings:answer": "A",
        "faq:siblings:examples": "can i see my sis\nwhere is my brother",
        "flow:chat:title": "A chat",
        "flow:chat:intro": "Hello there.",
        "flow:chat:default:scale:1": "Bad",
        "flow:chat:default:scale:2": "Good",
        "flow:chat:default:yesno:yes": "Yes",
        "flow:chat:default:yesno:no": "No",
        "flow:chat:hi:text": "Hi!",
        "flow:chat:feel:text": "How are you?",
        "flow:chat:feel:hint": "Tap one.",
        "flow:chat:why:text": "Why?",
        "flow:chat:why:placeholder": "Write here",
        "flow:chat:pick:text": "Pick one",
        "flow:chat:pick:option:a": "Apples",
        "flow:chat:pick:option:no": "None of them",
        "flow:chat:bye:text": "Bye",
        "topic:home:title": "Where I live",
        "glossary:iro:term": "IRO",
        "glossary:iro:definition": "D",
        "page:help:title": "Get help now",
        "page:help:body": "Call {phone}.",
        "principle:dignity:title": "Dignity",
        "principle:dignity:promise": "P",
        "principle:dignity:summary": "S",
        "principle:dignity:body": "B",
        "article:article-12:title": "T",
        "article:article-12:summary": "S",
        "article:article-12:means": "M",
        "article:article-12:example": "E",
        "article:article-12:if_not_happening": "I",
        "quiz:q1:question": "Q?",
        "quiz:q1:explanation": "X",
        "quiz:q1:option:a": "A",
    }


def test_translators_get_notes_for_placeholders(content: Path) -> None:
    body = next(e for e in iter_content(content) if e.context == "page:help:body")
    assert "{phone}" in body.comment


def test_pybabel_extract_uses_babel_cfg(tmp_path: Path) -> None:
    """`pybabel extract -F babel.cfg` works too, with the content extractor and contexts."""
    for name in ("voice", "content"):  # a copy, so pybabel doesn't walk node_modules
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "all.pot"
    cfg = str(ROOT / "babel.cfg")
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", cfg, "-o", str(out), "--no-location", str(tmp_path)]
    )
    with out.open("rb") as fileobj:
        catalog = read_po(fileobj)
    contexts = {message.context for message in catalog if message.id}
    assert "flow:pre-review:home-feel:text" in contexts
    assert "page:help:title" in contexts
    assert any(message.id and not message.context for message in catalog), "UI strings too"


def test_every_content_file_is_translated_or_listed_as_not() -> None:
    """A new kind of content must get a rule in voice/content/extract.py, or a line in
    NOT_TRANSLATED saying why children never read it."""
    content = ROOT / "content"
    uncovered = [str(p.relative_to(content)) for p in content.rglob("*.yaml") if not is_covered(p)]
    assert not uncovered, f"add these to RULES or NOT_TRANSLATED in voice/content/extract.py: {uncovered}"


@pytest.mark.parametrize("path", ["faq/synonyms.yaml", "safeguarding/common.yaml", "notifications.yaml"])
def test_not_translated_files_are_skipped(path: str) -> None:
    assert rule_for(Path("content") / path) is None
    assert any(Path(path).match(pattern) for pattern in NOT_TRANSLATED)
