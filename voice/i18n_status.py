"""How far each offered language really is: per cent translated and per cent reviewed, for
the UI (the ``messages`` catalogue) and for content (``content``), read from the .po files.

*Translated* means a non-empty, non-fuzzy msgstr: what a child actually sees (fuzzy entries
never reach a child). *Reviewed* means a qualified translator has checked it: every translated
entry of a locale with ``reviewed: true`` in ``translations/locales.yaml``, and in a draft locale
the entries a reviewer marked one by one with a ``# reviewed`` translator comment (Weblate and
Crowdin keep translator comments). ``flask --app voice content check`` prints this, the studio's
Languages page shows it, and ``tests/i18n/test_completeness.py`` holds every locale to
``THRESHOLD``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

from voice.i18n import Locale, load_locales

THRESHOLD = 98.0  # per cent translated, for UI and content, in every offered locale
DOMAINS = ("messages", "content")
REVIEWED_MARK = "reviewed"


@dataclass(frozen=True)
class Part:
    total: int
    translated: int
    reviewed: int

    @property
    def translated_pct(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def reviewed_pct(self) -> float:
        return 100.0 * self.reviewed / self.total if self.total else 100.0


@dataclass(frozen=True)
class LocaleStatus:
    locale: Locale
    ui: Part
    content: Part

    @property
    def complete(self) -> bool:
        return min(self.ui.translated_pct, self.content.translated_pct) >= THRESHOLD

    def line(self) -> str:
        draft = "" if self.locale.reviewed else " (draft)"
        return (
            f"{self.locale.code:<6} UI {self.ui.translated_pct:5.1f}% translated, "
            f"{self.ui.reviewed_pct:5.1f}% reviewed; content {self.content.translated_pct:5.1f}% "
            f"translated, {self.content.reviewed_pct:5.1f}% reviewed{draft}"
        )


def is_translated(message: Message) -> bool:
    if message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, list | tuple) else [message.string]
    return all(strings) and bool(strings)


def is_reviewed(message: Message, locale: Locale) -> bool:
    return is_translated(message) and (
        locale.reviewed or any(c.strip().lower().startswith(REVIEWED_MARK) for c in message.user_comments)
    )


def part(path: Path, locale: Locale) -> Part:
    if not path.exists():
        return Part(0, 0, 0) if locale.code == "en" else Part(1, 0, 0)
    return _part(str(path), path.stat().st_mtime_ns, locale)


@lru_cache(maxsize=64)
def _part(path: str, _mtime: int, locale: Locale) -> Part:
    with open(path, "rb") as fileobj:
        catalog = read_po(fileobj, locale=locale.code)
    messages = [m for m in catalog if m.id]
    return Part(
        total=len(messages),
        translated=sum(is_translated(m) for m in messages),
        reviewed=sum(is_reviewed(m, locale) for m in messages),
    )


def locale_status(translations: Path, locale: Locale) -> LocaleStatus:
    if locale.code == "en":  # the source language: complete and reviewed by definition
        everything = Part(1, 1, 1)
        return LocaleStatus(locale, everything, everything)
    folder = translations / locale.code / "LC_MESSAGES"
    return LocaleStatus(locale, part(folder / "messages.po", locale), part(folder / "content.po", locale))


def all_status(translations: str | Path) -> list[LocaleStatus]:
    root = Path(translations)
    return [locale_status(root, loc) for loc in load_locales(str(root)) if loc.code != "en"]
