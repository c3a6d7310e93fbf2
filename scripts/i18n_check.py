"""Check the gettext catalogues. ``make i18n-check`` runs this; ``tests/i18n`` calls the same
functions, so CI and a developer see the same messages.

Checks, per locale and domain:

- the .pot files are current (re-extracted in memory; message ids compared);
- each .po is in step with its .pot (else ``make i18n-update``);
- headers: review status matches ``translations/locales.yaml``, Plural-Forms is the locale's,
  the header is not marked fuzzy;
- every translated entry keeps the source's placeholders (``%(name)s``, ``{name}``) and phone
  numbers, and fills every plural form;
- completeness, where ``REQUIRE_COMPLETE`` asks for it. Fuzzy and empty entries count as
  missing: they are never shown to a child.

Everything outside ``REQUIRE_COMPLETE`` is reported as "falls back to English" and does not fail.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from scripts.i18n_catalogues import (
    DOMAINS,
    REVIEW_HEADER,
    TRANSLATIONS,
    default_plural_forms,
    extract,
    is_translated,
    message_keys,
    po_path,
    pot_path,
    review_status,
)
from voice.i18n import Locale, load_locales, parse_plural_forms

# Which entries must be translated in every locale: None = the whole domain, or a tuple of
# msgctxt prefixes. Switch on the UI with  "messages": None  after the UI translation pass;
# add "principle:", "article:", "glossary:", "faq:" to content when rights/FAQ are translated.
REQUIRE_COMPLETE: dict[str, tuple[str, ...] | None] = {
    "content": ("flow:", "topic:", "page:"),
}
# New content waiting for the translators' pass, by msgctxt prefix and locale: reported as
# "falls back to English", not a failure, in these locales only. Each entry names its issue;
# take it out once the drafts are in. (The picture journey's symbols carry its meaning meanwhile.)
AWAITING_TRANSLATORS: dict[str, tuple[str, ...]] = {}  # empty: every offered locale has every flow

_PERCENT = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
_BRACE = re.compile(r"\{(\w*)\}")
_PHONE = re.compile(r"(?<![\d])\d{3,}(?: \d{3,})*(?![\d])")


@dataclass(frozen=True)
class Problem:
    where: str  # "bn/content", "content.pot" …
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Coverage:
    where: str
    translated: int = 0
    missing: int = 0
    fuzzy: int = 0


def check_pot_current(domain: str, translations: Path = TRANSLATIONS) -> list[Problem]:
    where = f"{domain}.pot"
    path = pot_path(domain, translations)
    if not path.exists():
        return [Problem(where, "missing: run `make i18n-extract`")]
    fresh = message_keys(extract(domain))
    on_disk = message_keys(_read(path))
    return _difference(where, fresh, on_disk, "make i18n-extract")


def check_catalogue(
    locale: Locale,
    domain: str,
    translations: Path = TRANSLATIONS,
    require: dict[str, tuple[str, ...] | None] | None = None,
) -> tuple[list[Problem], Coverage]:
    require = REQUIRE_COMPLETE if require is None else require
    where = f"{locale.code}/{domain}"
    path = po_path(locale.code, domain, translations)
    coverage = Coverage(where)
    if not path.exists():
        return [Problem(where, f"no catalogue at {path}: run `make i18n-update`")], coverage
    catalog = _read(path, locale.code)
    problems = _check_headers(where, path, catalog, locale)
    template = pot_path(domain, translations)
    if template.exists():
        expected = message_keys(_read(template))
        problems += _difference(where, expected, message_keys(catalog), "make i18n-update")
    nplurals, _expr = parse_plural_forms(default_plural_forms(locale))
    untranslated_required: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        if is_translated(message):
            coverage.translated += 1
            problems += [Problem(where, p) for p in entry_problems(message, nplurals)]
            continue
        coverage.missing += 1
        coverage.fuzzy += int(message.fuzzy)
        if domain in require and _required(message, require[domain]) and not _awaiting(message, locale.code):
            untranslated_required.append(_label(message))
    if untranslated_required:
        shown = ", ".join(untranslated_required[:8])
        more = f" and {len(untranslated_required) - 8} more" if len(untranslated_required) > 8 else ""
        problems.append(Problem(where, f"{len(untranslated_required)} untranslated or fuzzy: {shown}{more}"))
    return problems, coverage


def entry_problems(message: Message, nplurals: int) -> list[str]:
    """What is wrong with one translated entry (placeholders, phone numbers, plural forms)."""
    label = _label(message)
    sources = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
    problems = []
    if not isinstance(message.id, str) and len(strings) != nplurals:
        problems.append(f"{label}: has {len(strings)} plural forms, the locale needs {nplurals}")
    expected = placeholders(sources[-1])
    for string in strings:
        found = placeholders(string)
        # A plural form may leave the number out ("one apple"); it must never add a name
        # the code does not pass, which would crash at run time.
        wrong = not set(found) <= set(expected) if len(sources) > 1 else found != expected
        if wrong:
            problems.append(f"{label}: placeholders {sorted(found)} should be {sorted(expected)}")
        lost = [n for n in _PHONE.findall(sources[0]) if n not in string]
        if lost:
            problems.append(f"{label}: keep the number(s) {', '.join(lost)} exactly")
    return problems


def placeholders(text: str) -> Counter[str]:
    """``%(name)s`` and ``{name}`` placeholders, counted (``%s`` counts as ``%``)."""
    found: Counter[str] = Counter()
    for match in _PERCENT.finditer(text):
        found[f"%({match.group(1)})" if match.group(1) else "%"] += 1
    for match in _BRACE.finditer(text):
        found["{" + match.group(1) + "}"] += 1
    return found


def run(
    translations: Path = TRANSLATIONS,
    domains: Iterable[str] = DOMAINS,
    require: dict[str, tuple[str, ...] | None] | None = None,
    codes: Iterable[str] | None = None,
) -> tuple[list[Problem], list[Coverage]]:
    problems: list[Problem] = []
    coverage: list[Coverage] = []
    wanted = set(codes) if codes is not None else None
    for domain in domains:
        problems += check_pot_current(domain, translations)
        for locale in load_locales(str(translations)):
            if locale.code == "en" or (wanted is not None and locale.code not in wanted):
                continue
            found, covered = check_catalogue(locale, domain, translations, require)
            problems += found
            coverage.append(covered)
    return problems, coverage


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the gettext catalogues.")
    parser.add_argument("--domain", action="append", choices=DOMAINS, help="default: all")
    parser.add_argument(
        "--require-all", action="store_true", help="every entry of every domain must be translated"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    require = dict.fromkeys(DOMAINS) if args.require_all else None
    problems, coverage = run(domains=args.domain or DOMAINS, require=require)
    for item in coverage:
        total = item.translated + item.missing
        note = f", {item.fuzzy} fuzzy" if item.fuzzy else ""
        fallback = f"; {item.missing} fall back to English{note}" if item.missing else ""
        print(f"  {item.where:<14} {item.translated}/{total} translated{fallback}")
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    print(f"i18n check: {f'{len(problems)} problem(s)' if problems else 'ok'}")
    return 1 if problems else 0


# --------------------------------------------------------------------------- helpers


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=locale)


def _difference(where: str, expected: set, actual: set, fix: str) -> list[Problem]:
    new, gone = expected - actual, actual - expected
    if not new and not gone:
        return []
    sample = ", ".join(_key_label(key) for key in sorted(new | gone, key=str)[:5])
    return [Problem(where, f"out of date ({len(new)} new, {len(gone)} gone, e.g. {sample}): run `{fix}`")]


def _check_headers(where: str, path: Path, catalog: Catalog, locale: Locale) -> list[Problem]:
    problems = []
    text = path.read_text(encoding="utf-8")
    found = re.search(rf'"{REVIEW_HEADER}: (\w+)\\n"', text)
    expected = review_status(locale)
    if not found or found.group(1) != expected:
        problems.append(
            Problem(where, f"{REVIEW_HEADER} should be {expected!r} (locales.yaml): run `make i18n-update`")
        )
    if catalog.fuzzy:
        problems.append(Problem(where, "the header is marked fuzzy, so nothing would be compiled"))
    if parse_plural_forms(catalog.plural_forms) != parse_plural_forms(default_plural_forms(locale)):
        problems.append(
            Problem(
                where,
                f"Plural-Forms should be {default_plural_forms(locale)!r} (the installed Babel's CLDR "
                "rule, or translations/locales.yaml's): run `make i18n-update` to rewrite the header, "
                "then check the plural entries still fit",
            )
        )
    return problems


def _awaiting(message: Message, code: str) -> bool:
    context = str(message.context or "")
    return any(context.startswith(p) and code in codes for p, codes in AWAITING_TRANSLATORS.items())


def _required(message: Message, prefixes: tuple[str, ...] | None) -> bool:
    context = str(message.context or "")
    if prefixes is None:
        return True
    return bool(context) and any(context.startswith(p) for p in prefixes)


def _label(message: Message) -> str:
    return _key_label((message.context, message.id))


def _key_label(key: tuple) -> str:
    context, msgid = key
    text = msgid if isinstance(msgid, str) else msgid[0]
    short = text if len(text) <= 40 else text[:37] + "..."
    return f"{context} {short!r}" if context else repr(short)


if __name__ == "__main__":
    sys.exit(main())
