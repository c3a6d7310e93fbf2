"""The catalogue checks themselves, on small made-up entries."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from scripts import i18n_check
from scripts.i18n_catalogues import render_po, update_catalogue
from voice.i18n import Locale

BN = Locale(code="bn", name="বাংলা", english_name="Bengali", plural_forms="nplurals=2; plural=(n > 1);")


def problems_for(msgid, string, *, nplurals: int = 2) -> list[str]:
    return i18n_check.entry_problems(Message(msgid, string, context="ctx"), nplurals)


def test_named_placeholders_must_match() -> None:
    assert problems_for("Hello %(name)s", "হ্যালো %(name)s") == []
    assert problems_for("Hello %(name)s", "হ্যালো %(nam)s")
    assert problems_for("Call {out_of_hours_phone}", "ফোন করো")
    assert problems_for("Call {out_of_hours_phone}", "ফোন করো {out_of_hours_phone}") == []


def test_phone_numbers_are_kept_exactly() -> None:
    assert problems_for("Call Childline on 0800 1111.", "Childline-কে 0800 1111 নম্বরে ফোন করো।") == []
    assert problems_for("Call Childline on 0800 1111.", "Childline-কে ০৮০০ ১১১১ নম্বরে ফোন করো।")


def test_a_plural_form_may_drop_the_number_but_never_add_a_name() -> None:
    source = ("%(num)d new message", "%(num)d new messages")
    assert problems_for(source, ("একটি নতুন বার্তা", "%(num)d টি নতুন বার্তা")) == []
    assert problems_for(source, ("%(n)d", "%(num)d"))
    assert problems_for(source, ("%(num)d",), nplurals=2), "every plural form must be there"


def test_fuzzy_and_empty_entries_count_as_missing(tmp_path: Path) -> None:
    template = Catalog(domain="content")
    for context in ("flow:f:a:text", "flow:f:b:text", "flow:f:c:text"):
        template.add(f"English {context}", context=context)
    catalog = update_catalogue(template, None, BN, "content")
    catalog.get("English flow:f:a:text", context="flow:f:a:text").string = "বাংলা"
    fuzzy = catalog.get("English flow:f:b:text", context="flow:f:b:text")
    fuzzy.string, fuzzy.flags = "আন্দাজ", {"fuzzy"}
    folder = _write(tmp_path, template, catalog)

    problems, coverage = i18n_check.check_catalogue(BN, "content", folder, {"content": ("flow:",)})

    assert (coverage.translated, coverage.missing, coverage.fuzzy) == (1, 2, 1)
    assert len(problems) == 1 and "2 untranslated or fuzzy" in problems[0].message


def test_nothing_outside_require_complete_fails(tmp_path: Path) -> None:
    template = Catalog(domain="content")
    template.add("What is an advocate?", context="faq:advocate:title")
    folder = _write(tmp_path, template, update_catalogue(template, None, BN, "content"))
    problems, coverage = i18n_check.check_catalogue(BN, "content", folder, {"content": ("flow:",)})
    assert problems == [] and coverage.missing == 1


def test_the_review_header_follows_locales_yaml(tmp_path: Path) -> None:
    template = Catalog(domain="content")
    template.add("Yes", context="flow:f:default:yesno:yes")
    folder = _write(tmp_path, template, update_catalogue(template, None, BN, "content"))
    assert "X-Voice-Review-Status: draft" in (folder / "bn/LC_MESSAGES/content.po").read_text()
    reviewed = Locale(code="bn", name="বাংলা", reviewed=True, plural_forms=BN.plural_forms)
    problems, _ = i18n_check.check_catalogue(reviewed, "content", folder, {})
    assert any("X-Voice-Review-Status" in p.message for p in problems)


def test_changed_english_keeps_the_old_translation_as_fuzzy() -> None:
    old = Catalog(domain="content")
    old.add("How is home?", context="flow:f:home:text")
    catalog = update_catalogue(old, None, BN, "content")
    catalog.get("How is home?", context="flow:f:home:text").string = "বাড়িতে কেমন চলছে?"
    new = Catalog(domain="content")
    new.add("How are things at home?", context="flow:f:home:text")
    new.add("How is home?", context="flow:f:other:text")  # same English, different item

    updated = update_catalogue(new, catalog, BN, "content")

    moved = updated.get("How are things at home?", context="flow:f:home:text")
    assert moved.fuzzy and moved.string == "বাড়িতে কেমন চলছে?" and moved.previous_id == ["How is home?"]
    assert not updated.get("How is home?", context="flow:f:other:text").string


def _write(root: Path, template: Catalog, catalog: Catalog) -> Path:
    (root / "content.pot").write_text(render_po(template, sort=False), encoding="utf-8")
    folder = root / "bn" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    text = render_po(catalog, sort=False, review_status="draft")
    (folder / "content.po").write_text(text, encoding="utf-8")
    with (folder / "content.po").open("rb") as fileobj:
        read_po(fileobj)  # it must stay readable
    return root
