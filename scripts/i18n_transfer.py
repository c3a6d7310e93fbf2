"""The translator's path: export a catalogue for Weblate or Crowdin, and take it back safely.

    make i18n-export LANG=ps            # writes i18n-export/voice-ps-messages.po and -content.po
    make i18n-import FILE=voice-ps-content.po

Both tools read and write gettext PO natively, with msgctxt, plurals and translator comments,
so the export is the locale's own .po (every entry, translated or not, with the source
comments that say where a string is used). The import refuses the whole file, naming the line
and the reason, if any translation could break a page or say something the English does not:

- a placeholder (``%(name)s``, ``{name}``) missing, renamed or added;
- HTML tags that differ from the English (an extra ``<script>``, a lost ``</b>``);
- a template expression (``{{ … }}``, ``{% … %}``), which must never come from a translator;
- a link whose target differs from the English (Markdown ``[text](url)`` or ``href``);
- a phone number changed, a wrong number of plural forms, a string the catalogue doesn't have,
  or a file for another language.

Accepted translations replace the ones in ``translations/<code>/LC_MESSAGES/<domain>.po``;
a translator comment starting ``reviewed`` marks one entry as reviewed (voice/i18n_status.py).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

from scripts.i18n_catalogues import DOMAINS, TRANSLATIONS, default_plural_forms, po_path, render_po
from scripts.i18n_catalogues import review_status as header_status
from scripts.i18n_check import entry_problems
from voice.i18n import Locale, load_locales, parse_plural_forms

EXPORT_DIR = Path("i18n-export")
_NAME = re.compile(r"^voice-(?P<code>[A-Za-z_]+)-(?P<domain>messages|content)\.po$")
_TAG = re.compile(r"</?\s*([A-Za-z][\w-]*)[^>]*>")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_MD_LINK = re.compile(r"\]\(\s*([^)\s]+)")
_HREF = re.compile(r"""(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.I)


class ImportRefused(ValueError):
    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        super().__init__(f"{path}: refused, {len(problems)} problem(s):\n" + "\n".join(problems))


@dataclass(frozen=True)
class Imported:
    code: str
    domain: str
    path: Path
    updated: int


def locale_for(code: str, translations: Path = TRANSLATIONS) -> Locale:
    for loc in load_locales(str(translations)):
        if loc.code == code and code != "en":
            return loc
    offered = ", ".join(loc.code for loc in load_locales(str(translations)) if loc.code != "en")
    raise SystemExit(f"'{code}' is not a language Voice offers (one of: {offered})")


def export(code: str, out_dir: Path = EXPORT_DIR, translations: Path = TRANSLATIONS) -> list[Path]:
    locale_for(code, translations)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for domain in DOMAINS:
        target = out_dir / f"voice-{code}-{domain}.po"
        target.write_text(po_path(code, domain, translations).read_text(encoding="utf-8"), encoding="utf-8")
        written.append(target)
    return written


def problems_in(message: Message, nplurals: int) -> list[str]:
    """Why one imported translation is unsafe (empty list: it is fine)."""
    sources = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
    found = [p.split(": ", 1)[-1] for p in entry_problems(message, nplurals)]
    english = sources[-1]  # the plural msgid for plural forms; the same tags and links either way
    for text in strings:
        expression = _TEMPLATE.search(text)
        if expression:
            found.append(f"template expression {expression.group(0)!r} is not allowed")
        if sorted(_tags(text)) != sorted(_tags(english)):
            found.append(f"HTML tags {sorted(_tags(text))} differ from the English {sorted(_tags(english))}")
        if sorted(_links(text)) != sorted(_links(english)):
            found.append(f"link targets {sorted(_links(text))} should be {sorted(_links(english))}")
    return found


def import_file(path: Path, translations: Path = TRANSLATIONS) -> Imported:
    named = _NAME.match(path.name)
    if not named:
        raise ImportRefused(path, ["line 1: name the file voice-<code>-<domain>.po, as the export did"])
    code, domain = named["code"], named["domain"]
    locale = locale_for(code, translations)
    with path.open("rb") as fileobj:
        incoming = read_po(fileobj, locale=code)
    problems = []
    if incoming.locale and str(incoming.locale) != code:
        problems.append(f"line 1: the Language header says {incoming.locale}, the file name says {code}")
    target_path = po_path(code, domain, translations)
    with target_path.open("rb") as fileobj:
        target = read_po(fileobj, locale=code)
    nplurals, _ = parse_plural_forms(default_plural_forms(locale))
    accepted: list[Message] = []
    for message in incoming:
        if not message.id or not _has_text(message):
            continue
        where = f"line {message.lineno}"
        if target.get(message.id, message.context) is None:
            problems.append(f"{where}: {_short(message)} is not in Voice's {domain} catalogue")
            continue
        problems += [f"{where}: {_short(message)}: {p}" for p in problems_in(message, nplurals)]
        accepted.append(message)
    if problems:
        raise ImportRefused(path, problems)
    for message in accepted:
        existing = target.get(message.id, message.context)
        existing.string = message.string
        existing.flags.discard("fuzzy")
        existing.user_comments = list(message.user_comments)
    text = render_po(target, sort=domain == "messages", review_status=header_status(locale))
    target_path.write_text(text, encoding="utf-8")
    return Imported(code, domain, target_path, len(accepted))


def _tags(text: str) -> list[str]:
    return [m.group(0).split()[0].rstrip(">").lower() + ">" for m in _TAG.finditer(text)]


def _links(text: str) -> list[str]:
    return _MD_LINK.findall(text) + _HREF.findall(text)


def _has_text(message: Message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
    return any(strings)


def _short(message: Message) -> str:
    text = message.id if isinstance(message.id, str) else message.id[0]
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"{message.context} {text!r}" if message.context else repr(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    out = sub.add_parser("export")
    out.add_argument("code")
    out.add_argument("--out", type=Path, default=EXPORT_DIR)
    back = sub.add_parser("import")
    back.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "export":
        for path in export(args.code, args.out):
            print(f"  wrote {path}  (PO: Weblate and Crowdin read it as is)")
        return 0
    try:
        done = import_file(args.file)
    except ImportRefused as refused:
        print(str(refused), file=sys.stderr)
        return 1
    print(f"  {done.path}: {done.updated} translation(s) taken in. Run `make i18n-compile`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
