"""i18n test helpers: compiled catalogues, and small throwaway translation folders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from flask import Flask

from scripts.i18n_catalogues import compile_all, compile_catalogue
from voice.content import translate

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
TEST_CATALOGUES = ROOT / "tests" / "data" / "i18n"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues() -> None:
    """`make test` compiles first; a bare `pytest tests/i18n` should not depend on that."""
    compile_all(TRANSLATIONS)
    translate.clear_cache()


@pytest.fixture
def make_translations(tmp_path: Path) -> Callable[..., Path]:
    """Write a translations folder: locales.yaml plus one compiled ``content`` catalogue.

    ``entries`` are ``(context, english, translation, fuzzy)``."""

    def make(locale: str, entries: list[tuple[str, str, str, bool]], *, rtl: bool = False) -> Path:
        (tmp_path / "locales.yaml").write_text(
            "- {code: en, name: English, dir: ltr, reviewed: true}\n"
            f"- {{code: {locale}, name: Test, dir: {'rtl' if rtl else 'ltr'}, reviewed: false}}\n",
            encoding="utf-8",
        )
        catalog = Catalog(locale=locale, domain="content")
        catalog.fuzzy = False
        for context, english, translation, fuzzy in entries:
            catalog.add(english, translation, context=context, flags=["fuzzy"] if fuzzy else [])
        folder = tmp_path / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with (folder / "content.po").open("wb") as fileobj:
            write_po(fileobj, catalog)
        compile_catalogue(folder / "content.po", folder / "content.mo")
        return tmp_path

    return make


@pytest.fixture
def bare_app() -> Iterator[Callable[[Path], Flask]]:
    """A Flask app with nothing but a translations folder: enough for content lookups."""

    def make(translations: Path) -> Flask:
        app = Flask(__name__)
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations)
        return app

    translate.clear_cache()
    yield make
    translate.clear_cache()
