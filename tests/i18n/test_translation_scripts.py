"""No translation is written in another language's script.

Two slips of this kind reached the catalogues: the review chat's opening line in Bengali letters
in the Arabic, Somali, Urdu, Polish, Portuguese and Romanian catalogues, and Arabic drafts of the
picture journey's words in the Polish, Portuguese, Romanian and Tigrinya ones. A child who chose
Polish would have read Arabic. Each locale's own script is allowed, plus Latin (names, "PIN",
"IRO" in brackets); Bengali, Arabic and Ethiopic letters outside their own locales are not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from voice.i18n import load_locales

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
SCRIPTS = {
    "Bengali": re.compile(r"[\u0980-\u09FF]"),
    "Arabic": re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]"),
    "Ethiopic": re.compile(r"[\u1200-\u139F\u2D80-\u2DDF]"),
}
OWN_SCRIPT = {
    "bn": "Bengali",
    "ar": "Arabic",
    "ur": "Arabic",
    "ckb": "Arabic",
    "ps": "Arabic",
    "fa_AF": "Arabic",
    "ti": "Ethiopic",
}
CODES = [loc.code for loc in load_locales(str(TRANSLATIONS)) if loc.code != "en"]


def _strings(message) -> list[str]:
    return [
        s for s in (message.string if isinstance(message.string, tuple | list) else [message.string]) if s
    ]


@pytest.mark.parametrize("domain", ["messages", "content"])
@pytest.mark.parametrize("code", CODES)
def test_every_translation_is_in_its_own_script(code: str, domain: str) -> None:
    with (TRANSLATIONS / code / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        catalogue = read_po(handle)
    foreign = {name: rx for name, rx in SCRIPTS.items() if name != OWN_SCRIPT.get(code)}
    wrong = [
        f"{message.context or message.id!r}: {name} letters in {text[:40]!r}"
        for message in catalogue
        if message.id
        for text in _strings(message)
        for name, rx in foreign.items()
        if rx.search(text)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_wrong_script() -> None:
    assert SCRIPTS["Bengali"].search("সব কেমন চলছে") and not SCRIPTS["Arabic"].search("সব কেমন চলছে")
    assert SCRIPTS["Arabic"].search("من المهم") and SCRIPTS["Ethiopic"].search("ንዓኻ")
