"""Content in the child's language, falling back to English a whole item at a time."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask, render_template_string

from scripts.i18n_check import AWAITING_TRANSLATORS
from voice.content import registry, translate
from voice.content.translate import content_text, display_text, option_text, translation_status

CONTEXT = "flow:chat:hello:text"


@pytest.fixture
def xx(make_translations, bare_app) -> Flask:
    """Locale ``xx``: one item translated, one fuzzy, one empty, one translated from old English."""
    folder = make_translations(
        "xx",
        [
            (CONTEXT, "Hello!", "Xallo!", False),
            ("flow:chat:fuzzy:text", "How are you?", "Xow xare xou?", True),
            ("flow:chat:empty:text", "Bye", "", False),
            ("flow:chat:stale:text", "Old English words", "Xold Xenglish", False),
        ],
    )
    return bare_app(folder)


def test_a_translated_item_comes_back_in_the_locale(xx: Flask) -> None:
    with xx.app_context():
        text = content_text(CONTEXT, "Hello!", "xx")
    assert text == "Xallo!" and text.lang == "xx" and not text.fallback


@pytest.mark.parametrize(
    ("context", "english"),
    [
        ("flow:chat:fuzzy:text", "How are you?"),  # fuzzy: a translator hasn't confirmed it
        ("flow:chat:empty:text", "Bye"),  # empty
        ("flow:chat:stale:text", "New English words"),  # English changed since translating
        ("flow:chat:nowhere:text", "Never translated"),  # missing
    ],
)
def test_anything_else_falls_back_to_the_whole_english_item(xx: Flask, context: str, english: str) -> None:
    with xx.app_context():
        text = content_text(context, english, "xx")
    assert text == english and text.lang == "en" and text.fallback


def test_fallback_is_per_item_never_mixed(xx: Flask) -> None:
    with xx.app_context():
        page = [content_text(CONTEXT, "Hello!", "xx"), content_text("flow:chat:x:text", "Goodbye.", "xx")]
    assert [(t, t.lang) for t in page] == [("Xallo!", "xx"), ("Goodbye.", "en")]


def test_english_and_unknown_locales_need_no_catalogue(xx: Flask) -> None:
    with xx.app_context():
        assert content_text(CONTEXT, "Hello!", "en").lang == "en"
        assert content_text(CONTEXT, "Hello!", "zz") == "Hello!"
        assert content_text(CONTEXT, "Hello!") == "Hello!", "no request: English"


def test_trailing_newlines_of_yaml_block_text_do_not_matter(xx: Flask) -> None:
    with xx.app_context():
        assert content_text(CONTEXT, "Hello!\n", "xx") == "Xallo!"


def test_rtl_text_isolates_numbers_and_placeholders(make_translations, bare_app) -> None:
    entry = ("page:help:body", "Call {phone} or 0800 1111.", "اتصل بـ {phone} أو 0800 1111.", False)
    folder = make_translations("ar", [entry], rtl=True)
    with bare_app(folder).app_context():
        shown = display_text("page:help:body", "Call {phone} or 0800 1111.", "ar")
        stored = content_text("page:help:body", "Call {phone} or 0800 1111.", "ar")
    assert shown == "اتصل بـ \u2068{phone}\u2069 أو \u20660800 1111\u2069."
    assert stored == "اتصل بـ {phone} أو 0800 1111.", "only what is shown gets isolates"
    assert shown.lang == "ar"


def test_ct_is_a_jinja_global_that_uses_the_request_locale(app: Flask) -> None:
    with app.test_request_context("/?lang=bn"):
        rendered = render_template_string(
            "{% set t = ct('page:help:title', english) %}<h1 lang='{{ t.lang }}'>{{ t }}</h1>",
            english=registry.get("pages")["help"].title,
        )
    assert rendered == "<h1 lang='bn'>এখনই সাহায্য নাও</h1>"


def test_the_real_flows_are_translated(app: Flask) -> None:
    with app.app_context():
        node = registry.get("flows")["pre-review"].node("home-feel")
        for code in ("bn", "ar", "so", "ti"):
            text = content_text(f"flow:pre-review:{node.id}:text", node.text or "", code)
            assert text.lang == code and text != node.text


def test_scale_buttons_come_from_the_flows_default_options(app: Flask) -> None:
    with app.app_context():
        flow = registry.get("flows")["pre-review"]
        node = flow.node("home-feel")  # a scale question with no options of its own
        labels = [option_text(flow.id, node, option, "pl") for option in node.options]
    assert labels == ["Bardzo źle", "Niedobrze", "Tak sobie", "Dobrze", "Bardzo dobrze"]


def test_a_nodes_own_option_wins_and_a_changed_label_is_not_translated(app: Flask) -> None:
    with app.app_context():
        flow = registry.get("flows")["pre-review"]
        node = flow.node("home-stay")
        own = option_text(flow.id, node, node.option("not-sure"), "ro")
        changed = option_text(flow.id, node, SimpleNamespace(id="yes", label="Yes!"), "ro")
    assert own == "Nu știu sigur"
    assert changed == "Yes!" and changed.fallback


def test_translation_status_counts_per_kind(app: Flask) -> None:
    with app.app_context():
        status = translation_status("bn")
    assert status["reviewed"] is False
    waiting = tuple(p for p, codes in AWAITING_TRANSLATORS.items() if "bn" in codes)
    missing_flows = [c for c in status["missing"] if c.startswith("flow:")]
    assert status["by_kind"]["flow"]["translated"] == status["by_kind"]["flow"]["total"] - len(missing_flows)
    assert status["by_kind"]["page"]["translated"] == status["by_kind"]["page"]["total"]
    assert status["translated"] + len(status["missing"]) == status["total"]
    # Only new content named as waiting for the translators may still be English.
    assert all(
        not c.startswith(("flow:", "page:", "topic:")) or c.startswith(waiting) for c in status["missing"]
    )


def test_clear_cache_reloads_catalogues(xx: Flask) -> None:
    with xx.app_context():
        content_text(CONTEXT, "Hello!", "xx")
        translate.clear_cache()
        assert content_text(CONTEXT, "Hello!", "xx") == "Xallo!"
