"""Choosing a language: ?lang=, the cookie, the browser; lang and dir on every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from tests.i18n.conftest import TRANSLATIONS
from voice import i18n
from voice.i18n import COOKIE, load_locales

ISSUE_LOCALES = {"en", "bn", "so", "ar", "ur", "pl", "pt", "ro", "ti", "ckb", "ps", "fa_AF"}


def html_attrs(client: FlaskClient, url: str = "/", **kwargs) -> tuple[str, str]:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    tag = BeautifulSoup(response.get_data(as_text=True), "html.parser").html
    return tag["lang"], tag["dir"]


def test_the_locales_are_data() -> None:
    locales = load_locales(str(TRANSLATIONS))
    assert {loc.code for loc in locales} == ISSUE_LOCALES
    assert {loc.code for loc in locales if loc.rtl} == {"ar", "ur", "ckb", "ps", "fa_AF"}
    assert all(loc.name and loc.english_name for loc in locales)
    assert next(loc for loc in locales if loc.code == "bn").name == "বাংলা"


def test_every_locale_has_both_catalogues() -> None:
    for loc in load_locales(str(TRANSLATIONS)):
        if loc.code != "en":
            for domain in ("messages", "content"):
                assert (TRANSLATIONS / loc.code / "LC_MESSAGES" / f"{domain}.po").exists()


@pytest.mark.parametrize(
    ("code", "direction"),
    [("en", "ltr"), ("bn", "ltr"), ("ar", "rtl"), ("ur", "rtl"), ("ti", "ltr"), ("ckb", "rtl")],
)
def test_lang_query_sets_lang_and_dir(client: FlaskClient, code: str, direction: str) -> None:
    assert html_attrs(client, f"/?lang={code}") == (code, direction)


def test_dari_is_tagged_in_bcp47_for_the_browser(client: FlaskClient) -> None:
    """fa_AF is Babel's spelling; the html lang attribute must be a valid BCP 47 tag."""
    assert html_attrs(client, "/?lang=fa_AF") == ("fa-AF", "rtl")


def test_cookie_is_remembered(client: FlaskClient) -> None:
    client.set_cookie(COOKIE, "pl")
    assert html_attrs(client) == ("pl", "ltr")


@pytest.mark.parametrize(
    ("header", "expected"),
    [("bn-BD,bn;q=0.9,en;q=0.5", ("bn", "ltr")), ("ar-EG", ("ar", "rtl")), ("de-DE,fr;q=0.8", ("en", "ltr"))],
)
def test_browser_language_is_used(client: FlaskClient, header: str, expected: tuple[str, str]) -> None:
    assert html_attrs(client, headers={"Accept-Language": header}) == expected


def test_query_beats_cookie_beats_browser(client: FlaskClient) -> None:
    client.set_cookie(COOKIE, "ur")
    assert html_attrs(client, headers={"Accept-Language": "ro"}) == ("ur", "rtl")
    assert html_attrs(client, "/?lang=so", headers={"Accept-Language": "ro"}) == ("so", "ltr")
    # a ?lang= link is remembered, so the next page stays in that language
    assert html_attrs(client, headers={"Accept-Language": "ro"}) == ("so", "ltr")


@pytest.mark.parametrize("bad", ["xx", "../en", "AR", "", "ar-EG<script>"])
def test_unknown_lang_is_ignored(client: FlaskClient, bad: str) -> None:
    found = html_attrs(client, "/", query_string={"lang": bad}, headers={"Accept-Language": "ro"})
    assert found == ("ro", "ltr")


def test_is_reviewed(app: Flask) -> None:
    with app.app_context():
        assert i18n.is_reviewed("en")
        assert not i18n.is_reviewed("ar")
        assert i18n.is_reviewed("xx"), "an unknown code gets English, which needs no note"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- {code: bn, name: B}\n", "include 'en'"),
        ("- {code: en, name: E}\n- {code: en, name: E}\n", "include 'en'"),
        ("- {code: en, name: E, dir: up}\n", "use ltr or rtl"),
        ("- {code: en, name: E}\n- {code: qq, name: Q}\n", "does not know"),
        ("- {code: en, name: E, colour: red}\n", "unknown keys"),
        ("- {code: en, name: E, plural_forms: 'nplurals=1; plural=(n > 1);'}\n", "picks a form"),
    ],
)
def test_a_broken_locales_file_stops_start_up(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "locales.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_locales(str(tmp_path))
