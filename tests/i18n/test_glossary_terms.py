"""Care words a child knows: "IRO", "social worker", "review" and "advocate" are explained in
the child's own language, not left in English letters (issue 23)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from tests.i18n.conftest import TRANSLATIONS
from voice.i18n import load_locales

TERMS = ("iro", "social-worker", "review", "advocate")
LATIN_SCRIPT = {"en", "so", "pl", "pt", "ro"}  # where English letters are the child's own
# Glossary not yet translated on this branch (trB is translating): xfail(strict), so the test
# turns into an XPASS failure when the words land; then take the code out.
NOT_YET: set[str] = set()
_OWN_LETTER = re.compile(r"[^\W\d_A-Za-z]")  # a letter that isn't basic Latin


def _entries(code: str) -> dict[str, str]:
    with (TRANSLATIONS / code / "LC_MESSAGES" / "content.po").open("rb") as fileobj:
        return {m.context: m.string for m in read_po(fileobj) if m.context and m.string and not m.fuzzy}


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


def _codes():
    for loc in load_locales(str(TRANSLATIONS)):
        if loc.code in LATIN_SCRIPT:
            continue
        reason = f"{loc.code}: glossary not translated on this branch"
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if loc.code in NOT_YET else []
        yield pytest.param(loc.code, id=loc.code, marks=marks)


@pytest.mark.parametrize("code", list(_codes()))
@pytest.mark.parametrize("term", TERMS)
def test_the_word_is_explained_in_the_childs_own_script(code: str, term: str) -> None:
    found = _entries(code)
    assert f"glossary:{term}:term" in found, (
        f"{code}: glossary:{term} is not translated (a child reads English)"
    )
    name, definition = found[f"glossary:{term}:term"], found[f"glossary:{term}:definition"]
    assert _OWN_LETTER.search(name), f"{code}: the term {name!r} is only English letters"
    own = [w for w in _words(definition) if _OWN_LETTER.search(w)]
    latin = [w for w in _words(definition) if not _OWN_LETTER.search(w)]
    assert len(own) >= 4 * max(1, len(latin)), (
        f"{code}: {term} is explained mostly in English: {definition!r}"
    )


def test_the_check_catches_a_transliterated_iro() -> None:
    assert not _OWN_LETTER.search("IRO")
    assert _OWN_LETTER.search("مسؤول المراجعة المستقل (IRO)")
