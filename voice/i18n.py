"""Languages: the data-driven list of locales, and choosing one for each request."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app, g, request

COOKIE = "voice_lang"


@dataclass(frozen=True)
class Locale:
    code: str
    name: str  # the language's own name for itself
    dir: str = "ltr"
    reviewed: bool = False


@lru_cache(maxsize=4)
def load_locales(translations_dir: str) -> tuple[Locale, ...]:
    path = Path(translations_dir) / "locales.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    locales = tuple(Locale(**item) for item in raw)
    codes = [loc.code for loc in locales]
    if "en" not in codes or len(set(codes)) != len(codes):
        raise ValueError(f"{path}: locales must include 'en' exactly once and have unique codes")
    for loc in locales:
        if loc.dir not in ("ltr", "rtl"):
            raise ValueError(f"{path}: locale {loc.code} has dir {loc.dir!r}; use ltr or rtl")
    return locales


def locales() -> tuple[Locale, ...]:
    return load_locales(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


def locale_info(code: str) -> Locale:
    for loc in locales():
        if loc.code == code:
            return loc
    return locales()[0]


def supported(code: str | None) -> str | None:
    if not code:
        return None
    codes = {loc.code for loc in locales()}
    return code if code in codes else None


def select_locale() -> str:
    """``?lang=`` first, then the signed-in child's choice, then the cookie, then the browser."""
    chosen = supported(request.args.get("lang"))
    if chosen:
        return chosen
    child = g.get("child")
    if child is not None and supported(child.preferred_language):
        return child.preferred_language
    chosen = supported(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    return request.accept_languages.best_match([loc.code for loc in locales()]) or "en"
