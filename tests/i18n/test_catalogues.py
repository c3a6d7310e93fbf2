"""The real catalogues, checked the way `make i18n-check` checks them (one failure per locale).

To require the UI to be fully translated, add ``"messages": None`` to
``REQUIRE_COMPLETE`` in scripts/i18n_check.py; to require rights and FAQ content, add their
prefixes to the ``"content"`` entry. Nothing here needs to change.
"""

from __future__ import annotations

import pytest

from scripts import i18n_check
from scripts.i18n_catalogues import DOMAINS
from tests.i18n.conftest import TRANSLATIONS
from voice.i18n import load_locales

LOCALES = [loc for loc in load_locales(str(TRANSLATIONS)) if loc.code != "en"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_pot_files_are_current(domain: str) -> None:
    problems = i18n_check.check_pot_current(domain, TRANSLATIONS)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES, ids=lambda loc: loc.code)
def test_catalogue_is_sound_and_complete_where_required(locale, domain: str) -> None:
    """Placeholders, phone numbers, plural forms, review header, in step with the .pot,
    and every entry translated where REQUIRE_COMPLETE asks (fuzzy counts as missing)."""
    problems, _coverage = i18n_check.check_catalogue(locale, domain, TRANSLATIONS)
    assert not problems, "\n".join(map(str, problems))


def test_the_flows_and_pages_are_translated_for_every_locale() -> None:
    """The drafts cover the conversation and the pages; this guards REQUIRE_COMPLETE from
    being loosened by accident."""
    assert set(i18n_check.REQUIRE_COMPLETE["content"] or ()) >= {"flow:", "topic:", "page:"}


def test_every_locale_is_a_draft_until_reviewed() -> None:
    reviewed = {loc.code for loc in load_locales(str(TRANSLATIONS)) if loc.reviewed}
    assert reviewed == {"en"}, "only mark a locale reviewed once a qualified translator has"
