"""No empty glyph boxes: every character a Sorani, Pashto, Dari, Arabic or Urdu page can show
is in the Arabic subset Voice serves (issue 23). The browser check in
tests/browser/test_rtl_locales.py measures the same thing on rendered pages."""

from __future__ import annotations

import unicodedata

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from tests.i18n.conftest import ROOT, TRANSLATIONS

FONTS = ROOT / "voice" / "static" / "fonts"
ARABIC_SCRIPT = ("ar", "ur", "ckb", "ps", "fa_AF")
# Characters every Sorani, Pashto and Dari reader needs, beyond the Arabic alphabet.
NEEDED = {
    "ckb": "ڕڵێۆەھیکپچژگڤ",
    "ps": "ټځڅډړږښګڼۍېیپچژ",
    "fa_AF": "پچژگکی",
}


def _cmap(style: str) -> set[int]:
    return set(TTFont(FONTS / f"NotoNaskhArabic-{style}.subset.woff2").getBestCmap())


def _characters(code: str) -> set[str]:
    found: set[str] = set()
    for domain in ("messages", "content"):
        with (TRANSLATIONS / code / "LC_MESSAGES" / f"{domain}.po").open("rb") as fileobj:
            for message in read_po(fileobj):
                strings = message.string if isinstance(message.string, tuple | list) else [message.string]
                found.update("".join(s or "" for s in strings) if message.id else "")
    return found


@pytest.mark.parametrize("style", ["Regular", "Bold"])
@pytest.mark.parametrize("code", sorted(NEEDED))
def test_the_subset_has_each_languages_own_letters(code: str, style: str) -> None:
    missing = [c for c in NEEDED[code] if ord(c) not in _cmap(style)]
    assert not missing, f"{code}: {missing} would show as empty boxes"


@pytest.mark.parametrize("code", ARABIC_SCRIPT)
def test_every_translated_arabic_script_character_is_in_the_font(code: str) -> None:
    cmap = _cmap("Regular") | _cmap("Bold")
    missing = sorted(
        c for c in _characters(code) if "ARABIC" in unicodedata.name(c, "") and ord(c) not in cmap
    )
    assert not missing, f"{code}: {[f'U+{ord(c):04X} {unicodedata.name(c)}' for c in missing]}"


def test_a_presentation_form_would_be_caught() -> None:
    """The check is real: U+FEFB (lam-alef ligature form) is left out of the subset on purpose."""
    assert 0xFEFB not in _cmap("Regular")
