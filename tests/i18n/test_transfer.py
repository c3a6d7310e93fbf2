"""The translator's path: export for Weblate/Crowdin, import with every unsafe string refused
by line and reason (issue 23, "Bad input")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from scripts.i18n_transfer import ImportRefused, export, import_file
from tests.i18n.conftest import TRANSLATIONS


@pytest.fixture
def translations(tmp_path: Path) -> Path:
    """A copy of the real translations, so an import never touches the repository."""
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


def _exported(translations: Path, tmp_path: Path, code: str, domain: str) -> Path:
    paths = export(code, tmp_path / "out", translations)
    return next(p for p in paths if p.name == f"voice-{code}-{domain}.po")


def _set(path: Path, msgid_line: str, msgstr: str) -> None:
    """Put msgstr under the entry whose msgid starts with msgid_line (as a translator's tool would)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(
        i
        for i, line in enumerate(lines)
        if line.startswith(f'msgid "{msgid_line}')
        or (line.startswith(f'"{msgid_line}') and lines[i - 1] == 'msgid ""')
    )
    end = next(i for i in range(at + 1, len(lines)) if lines[i].startswith("msgstr"))
    stop = end + 1
    while stop < len(lines) and lines[stop].startswith('"'):
        stop += 1
    escaped = msgstr.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    lines[end:stop] = [f'msgstr "{escaped}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_export_writes_po_files_a_translation_tool_reads(translations: Path, tmp_path: Path) -> None:
    paths = export("ps", tmp_path / "out", translations)
    assert sorted(p.name for p in paths) == ["voice-ps-content.po", "voice-ps-messages.po"]
    with paths[0].open("rb") as fileobj:
        catalog = read_po(fileobj)
    assert str(catalog.locale) == "ps" and len(list(catalog)) > 100


def test_a_good_translation_is_taken_in_with_its_review_mark(translations: Path, tmp_path: Path) -> None:
    path = _exported(translations, tmp_path, "ps", "messages")
    _set(path, "Skip to main content", "اصلي منځپانګې ته لاړ شه")
    text = path.read_text(encoding="utf-8").replace(
        'msgid "Skip to main content"', '# reviewed: A. Translator\nmsgid "Skip to main content"'
    )
    path.write_text(text, encoding="utf-8")
    done = import_file(path, translations)
    assert done.updated >= 1
    with done.path.open("rb") as fileobj:
        message = read_po(fileobj).get("Skip to main content")
    assert message.string == "اصلي منځپانګې ته لاړ شه"
    assert message.user_comments == ["reviewed: A. Translator"]


BAD = [
    ("%(done)s of %(total)s translated", "%(done)s له ټولو ژباړل شوي", "placeholders"),
    ("Skip to main content", "<script>alert(1)</script>لاړ شه", "HTML tags"),
    ("Skip to main content", "{{ config.SECRET_KEY }}", "template expression"),
    ("You can use **bold**", "**غټ** او [لینکونه](https://evil.example)", "link targets"),
]


@pytest.mark.parametrize(("msgid", "msgstr", "reason"), BAD, ids=["placeholder", "html", "jinja", "link"])
def test_an_unsafe_translation_is_refused_with_line_and_reason(
    translations: Path, tmp_path: Path, msgid: str, msgstr: str, reason: str
) -> None:
    path = _exported(translations, tmp_path, "ps", "messages")
    before = (translations / "ps" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    _set(path, msgid, msgstr)
    with pytest.raises(ImportRefused) as refused:
        import_file(path, translations)
    problem = refused.value.problems[0]
    assert problem.startswith("line ") and reason in problem
    assert (translations / "ps" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8") == before


def test_a_changed_phone_number_and_an_unknown_string_are_refused(translations: Path, tmp_path: Path) -> None:
    path = _exported(translations, tmp_path, "ps", "content")
    with path.open("rb") as fileobj:
        catalog = read_po(fileobj)
    worried = catalog.get(
        'If you are worried about your safety right now, tap "Get help now". You can also '
        "call Childline any time on 0800 1111. It's free.",
        "flow:pre-review:worries-help:text",
    )
    worried.string = worried.string.replace("0800 1111", "0800 2222")
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog)
    text = path.read_text(encoding="utf-8")
    text += '\nmsgctxt "faq:made-up:title"\nmsgid "Not in Voice"\nmsgstr "نشته"\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_file(path, translations)
    joined = "\n".join(refused.value.problems)
    assert "keep the number(s) 0800 1111" in joined
    assert "not in Voice's content catalogue" in joined


def test_a_file_for_another_language_is_refused(translations: Path, tmp_path: Path) -> None:
    path = _exported(translations, tmp_path, "ps", "messages")
    renamed = path.with_name("voice-ckb-messages.po")
    path.rename(renamed)
    with pytest.raises(ImportRefused, match="Language header says ps"):
        import_file(renamed, translations)
