"""Plural forms: which form gettext picks for a number, checked against CLDR.

The test catalogues in tests/data/i18n label every form with its CLDR category, so a wrong
Plural-Forms header (Babel's own table swaps Arabic "many" and "other") shows up as the
wrong label, not as a subtly wrong word in a child's language.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import babel
import pytest
from babel.support import Translations

from scripts.i18n_catalogues import compile_catalogue, default_plural_forms
from tests.i18n.conftest import TEST_CATALOGUES, TRANSLATIONS
from voice.i18n import load_locales, parse_plural_forms

CATEGORY_ORDER = ("zero", "one", "two", "few", "many", "other")
NUMBERS = (0, 1, 2, 5, 11)
EXPECTED = {
    "en": ("other", "one", "other", "other", "other"),
    "ar": ("zero", "one", "two", "few", "many"),
    "bn": ("one", "one", "other", "other", "other"),
    "pl": ("many", "one", "few", "many", "many"),
}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plurals")
    for po in TEST_CATALOGUES.glob("*/LC_MESSAGES/messages.po"):
        target = out / po.relative_to(TEST_CATALOGUES)
        target.parent.mkdir(parents=True)
        compile_catalogue(po, target.with_suffix(".mo"))
    return out


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_the_right_plural_form_is_chosen(compiled: Path, code: str) -> None:
    translations = Translations.load(str(compiled), [code])
    chosen = [
        translations.ngettext("%(num)d new message", "%(num)d new messages", n) % {"num": n} for n in NUMBERS
    ]
    assert chosen == [f"{code}-{category} {n}" for category, n in zip(EXPECTED[code], NUMBERS, strict=True)]
    cldr = babel.Locale.parse(code).plural_form
    assert [cldr(n) for n in NUMBERS] == list(EXPECTED[code])


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_test_catalogues_use_the_real_plural_forms(code: str) -> None:
    locale = next(loc for loc in load_locales(str(TRANSLATIONS)) if loc.code == code)
    header = (TEST_CATALOGUES / code / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    written = header.split('"Plural-Forms: ', 1)[1].split("\\n", 1)[0]
    assert _picks(written) == _picks(default_plural_forms(locale))


@pytest.mark.parametrize("locale", load_locales(str(TRANSLATIONS)), ids=lambda loc: loc.code)
def test_every_locale_numbers_its_plural_forms_in_cldr_order(locale) -> None:
    """Form N is the Nth CLDR category the locale uses for whole numbers, so translators
    and tests can rely on one order whatever Babel's built-in gettext table says."""
    cldr = babel.Locale.parse(locale.code).plural_form
    categories = [c for c in CATEGORY_ORDER if any(cldr(n) == c for n in range(201))]
    nplurals, _ = parse_plural_forms(default_plural_forms(locale))
    assert nplurals == len(categories)
    picks = _picks(default_plural_forms(locale))
    wrong = [n for n in range(201) if categories[picks[n]] != cldr(n)]
    assert not wrong, f"{locale.code}: gettext picks the wrong form for {wrong[:10]}"


def _picks(plural_forms: str) -> list[int]:
    _, expr = parse_plural_forms(plural_forms)
    plural = gettext.c2py(expr)
    return [plural(n) for n in range(201)]
