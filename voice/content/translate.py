"""Authored content in the child's language, from the ``content`` gettext domain.

The English in ``content/`` is the source. Each translatable field is one gettext entry whose
msgctxt is the item id (scheme in :mod:`voice.content.extract`), so a lookup is
``pgettext(context, english)``. Because the English is part of the key, a translation made
for older English is never shown: when the English changes, that item falls back to English
until a translator catches up.

Fallback is per item (a whole question, label or page body), never per sentence, so a child
never reads a sentence that switches language half way. The returned text says which
language it is in (:class:`Localised`), so templates can mark an English fallback inside an
Arabic page with ``lang="en" dir="ltr"``.

Catalogues are the compiled ``translations/<locale>/LC_MESSAGES/content.mo`` files
(``make i18n-compile``). Fuzzy and empty entries are left out when compiling, so they count
as missing here too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_request_context

from voice import i18n
from voice.content.extract import iter_content, normalise

DOMAIN = "content"
SOURCE_LOCALE = "en"

# Unicode bidi isolates: LRI … PDI keeps "0800 1111" in order inside Arabic (without it the
# two groups swap places); FSI … PDI lets a filled-in {name} take its own direction.
_LRI, _FSI, _PDI = "\u2066", "\u2068", "\u2069"
_SPACED_NUMBER = re.compile(r"\d+(?:[ \u00a0]\d+)+")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


class Localised(str):
    """A ``str`` that remembers its language: ``.lang`` is the locale code it is written in,
    ``.fallback`` is True when English stands in for a missing translation."""

    lang: str
    fallback: bool

    def __new__(cls, text: str, lang: str = SOURCE_LOCALE, fallback: bool = False) -> Localised:
        value = super().__new__(cls, text)
        value.lang = lang
        value.fallback = fallback
        return value


def content_text(context: str, english: str, locale: str | None = None) -> Localised:
    """The translation of one content item for ``locale`` (default: this request's), or the
    English when there is none."""
    code = locale or current_locale()
    if code == SOURCE_LOCALE:
        return Localised(english, SOURCE_LOCALE)
    translated = _lookup(_catalogue(_translations_dir(), code), context, english)
    if translated is None:
        return Localised(english, SOURCE_LOCALE, fallback=True)
    return Localised(translated, code)


def display_text(context: str, english: str, locale: str | None = None) -> Localised:
    """:func:`content_text` made ready to show: in a right-to-left language, phone numbers
    and ``{placeholders}`` are wrapped in invisible bidi isolates so they read correctly.
    Use this for anything rendered into a page (``ct`` in templates); use ``content_text``
    for text that is matched or stored."""
    found = content_text(context, english, locale)
    if found.fallback or not i18n.locale_info(found.lang).rtl:
        return found
    return Localised(bidi_isolate(found), found.lang)


def bidi_isolate(text: str) -> str:
    text = _SPACED_NUMBER.sub(lambda m: f"{_LRI}{m.group(0)}{_PDI}", text)
    return _PLACEHOLDER.sub(lambda m: f"{_FSI}{m.group(0)}{_PDI}", text)


def option_text(flow_id: str, node: Any, option: Any, locale: str | None = None) -> Localised:
    """An answer button's label. Scale and yes/no questions take their buttons from the
    flow's ``default_options``, which are translated once per flow
    (``flow:{flow}:default:{answer}:{option}``); a node's own options have their own entries.
    The English label is part of the key, so the default's translation is only used when the
    node's label really is the default's."""
    english = option.label or ""
    own = content_text(f"flow:{flow_id}:{node.id}:option:{option.id}", english, locale)
    if not own.fallback or not node.answer:
        return own
    shared = content_text(f"flow:{flow_id}:default:{node.answer}:{option.id}", english, locale)
    return shared if not shared.fallback else own


def current_locale() -> str:
    if not has_request_context():
        return SOURCE_LOCALE
    from flask_babel import get_locale

    found = get_locale()
    return str(found) if found else SOURCE_LOCALE


def translation_status(
    locale: str, *, content_dir: str | Path | None = None, translations_dir: str | None = None
) -> dict[str, Any]:
    """How much of ``content/`` a locale covers, for ``content check`` and the studio.

    ``missing`` lists the contexts that fall back to English (never translated, fuzzy, or
    translated from English that has since changed). ``by_kind`` counts per context prefix
    (``flow``, ``faq`` …) so a report can say "FAQ: falls back to English".
    """
    content_dir = content_dir or current_app.config["VOICE_CONTENT_DIR"]
    catalogue = _catalogue(translations_dir or _translations_dir(), locale)
    by_kind: dict[str, dict[str, int]] = {}
    missing: list[str] = []
    total = 0
    for entry in iter_content(content_dir):
        total += 1
        kind = entry.context.split(":", 1)[0]
        counts = by_kind.setdefault(kind, {"total": 0, "translated": 0})
        counts["total"] += 1
        if locale == SOURCE_LOCALE or _lookup(catalogue, entry.context, entry.english) is not None:
            counts["translated"] += 1
        else:
            missing.append(entry.context)
    return {
        "locale": locale,
        "reviewed": _reviewed(locale, translations_dir),
        "total": total,
        "translated": total - len(missing),
        "missing": missing,
        "by_kind": by_kind,
    }


def init_app(app: Flask) -> None:
    """Make ``ct(context, english)`` and ``ct_option(flow_id, node, option)`` Jinja globals."""
    app.jinja_env.globals["ct"] = display_text
    app.jinja_env.globals["ct_option"] = option_text


def clear_cache() -> None:
    """Forget loaded catalogues (after compiling new ones, e.g. when the studio publishes)."""
    _catalogue.cache_clear()


# --------------------------------------------------------------------------- internals


@lru_cache(maxsize=32)
def _catalogue(translations_dir: str, locale: str) -> NullTranslations:
    """One load per locale. A locale without a compiled catalogue gets an empty one, so every
    item falls back to English rather than failing."""
    return Translations.load(translations_dir, [locale], domain=DOMAIN)


def _lookup(catalogue: NullTranslations, context: str, english: str) -> str | None:
    """The translation, or None. gettext returns the msgid when it has nothing, which can't be
    told apart from a translation that happens to equal the English ("OK"), so look for the
    key itself: a .mo file stores ``context + "\\x04" + msgid``."""
    entries = getattr(catalogue, "_catalog", None)
    if not entries:
        return None
    found = entries.get(f"{context}\x04{normalise(english)}")
    return found if found else None


def translated(translations_dir: str, locale: str, context: str, english: str) -> str | None:
    """A translation outside a request (start-up), or None when there is none."""
    return _lookup(_catalogue(translations_dir, locale), context, english)


def _translations_dir() -> str:
    return current_app.config["BABEL_TRANSLATION_DIRECTORIES"]


def _reviewed(locale: str, translations_dir: str | None) -> bool:
    if translations_dir is None:
        return i18n.is_reviewed(locale)
    return next((loc.reviewed for loc in i18n.load_locales(translations_dir) if loc.code == locale), True)
