"""Languages: the data-driven list of locales, and choosing one for each request.

``translations/locales.yaml`` is the one list. A locale there needs a catalogue under
``translations/<code>/`` (``make i18n-update`` creates it); nothing in Python names a language.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import babel
from flask import current_app, g, has_request_context, request

from voice import strict_yaml

COOKIE = "voice_lang"


def cookie_name() -> str:
    """``__Host-voice_lang`` over HTTPS (production): no Domain, path /, Secure (THREATS row 11)."""
    return f"__Host-{COOKIE}" if current_app.config["SESSION_COOKIE_SECURE"] else COOKIE


@dataclass(frozen=True)
class Locale:
    code: str
    name: str  # the language's own name for itself
    english_name: str = ""  # for staff pages
    dir: str = "ltr"
    reviewed: bool = False  # has a qualified translator checked the catalogues?
    plural_forms: str | None = None  # gettext Plural-Forms, only where Babel's table is off CLDR

    @property
    def rtl(self) -> bool:
        return self.dir == "rtl"


_FIELDS = frozenset(f.name for f in fields(Locale))


@lru_cache(maxsize=4)
def load_locales(translations_dir: str) -> tuple[Locale, ...]:
    """Read and check ``locales.yaml``. A mistake stops start-up rather than reaching a child."""
    path = Path(translations_dir) / "locales.yaml"
    raw = strict_yaml.read(path)
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise ValueError(f"{path}: should be a list of {{code, name, dir, reviewed}} entries")
    for item in raw:
        unknown = set(item) - _FIELDS
        if unknown:
            raise ValueError(f"{path}: locale {item.get('code')!r} has unknown keys {sorted(unknown)}")
    locales = tuple(Locale(**item) for item in raw)
    codes = [loc.code for loc in locales]
    if "en" not in codes or len(set(codes)) != len(codes):
        raise ValueError(f"{path}: locales must include 'en' exactly once and have unique codes")
    for loc in locales:
        if loc.dir not in ("ltr", "rtl"):
            raise ValueError(f"{path}: locale {loc.code} has dir {loc.dir!r}; use ltr or rtl")
        try:
            babel.Locale.parse(loc.code)
        except (ValueError, babel.UnknownLocaleError) as error:
            raise ValueError(f"{path}: Babel does not know locale {loc.code!r} ({error})") from None
        if loc.plural_forms is not None:
            _check_plural_forms(path, loc)
    return locales


def _check_plural_forms(path: Path, loc: Locale) -> None:
    nplurals, expr = parse_plural_forms(loc.plural_forms or "")
    try:
        plural = gettext.c2py(expr)
    except (ValueError, SyntaxError) as error:
        raise ValueError(f"{path}: locale {loc.code}: bad plural_forms ({error})") from None
    if any(not 0 <= plural(n) < nplurals for n in range(200)):
        raise ValueError(f"{path}: locale {loc.code}: plural_forms picks a form >= nplurals")


def parse_plural_forms(value: str) -> tuple[int, str]:
    """``"nplurals=2; plural=(n > 1);"`` → ``(2, "(n > 1)")``."""
    parts = dict(part.strip().split("=", 1) for part in value.split(";") if "=" in part)
    try:
        return int(parts["nplurals"]), parts["plural"].strip()
    except (KeyError, ValueError):
        raise ValueError(f"plural forms {value!r} need nplurals=N; plural=EXPR") from None


def translations_dir() -> str:
    return current_app.config["BABEL_TRANSLATION_DIRECTORIES"]


def locales() -> tuple[Locale, ...]:
    return load_locales(translations_dir())


def locale_info(code: str) -> Locale:
    for loc in locales():
        if loc.code == code:
            return loc
    return locales()[0]


def is_reviewed(code: str) -> bool:
    """False while a locale's translations are drafts: show the "new translation" note."""
    return locale_info(code).reviewed if supported(code) else True


def supported(code: str | None) -> str | None:
    if not code:
        return None
    codes = {loc.code for loc in locales()}
    return code if code in codes else None


def select_locale() -> str:
    """Staff pages stay in English. Otherwise ``?lang=`` first, then the cookie the language
    buttons set, then the signed-in child's saved choice, then the browser's languages.
    Outside a request (the CLI, start-up) lazy studio labels read in English."""
    if not has_request_context() or request.blueprint == "staff":
        return "en"
    chosen = supported(request.args.get("lang"))
    if chosen:
        return chosen
    chosen = supported(request.cookies.get(cookie_name()))
    if chosen:
        return chosen
    child = g.get("child")
    if child is not None and supported(child.preferred_language):
        return child.preferred_language
    return request.accept_languages.best_match([loc.code for loc in locales()]) or "en"


def remember_lang_param(response):
    """A shared ``?lang=`` link also sets the language cookie, so the choice sticks."""
    chosen = supported(request.args.get("lang"))
    if chosen and request.cookies.get(cookie_name()) != chosen:
        response.set_cookie(
            cookie_name(),
            chosen,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            path="/",
        )
    return response


def remember_for_child(child, code: str) -> None:
    from voice.extensions import db

    child.preferred_language = code
    db.session.commit()
