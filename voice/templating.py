"""Jinja set-up: strict undefined, filters registered in one place, shared context."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date, datetime
from pathlib import Path

from flask import Flask, current_app, g, url_for
from flask_babel import get_locale, gettext
from jinja2 import StrictUndefined
from markupsafe import Markup

from voice import clock, crypto, dates, i18n
from voice.auth.permissions import has_ability
from voice.chat import pictures, present
from voice.chat.answers import get_handler
from voice.content import registry
from voice.inbox import words
from voice.safeguarding import wording


def date_filter(value: date | datetime | None, fmt: str = "medium") -> str:
    """Staff pages, exports and the studio: "6 Dec 2026, 18:38" (``long``: "6 December 2026, 18:38")."""
    return dates.staff_when(value, long=fmt in ("long", "full"))


def child_when_filter(value: date | datetime | None) -> str:
    """Child pages: "Friday 6 December, 6:45pm" in the page's language."""
    return dates.child_when(value, str(get_locale() or "en"))


def rights_url(right_id: str) -> str | None:
    """A link to a rights explainer, once the rights explorer is registered."""
    if "rights.explainer" not in current_app.view_functions:
        return None
    return url_for("rights.explainer", item_id=right_id)


def answer_macro(node) -> str:
    return get_handler(node.answer).template_macro


def is_past(value: datetime | None) -> bool:
    return value is not None and clock.as_utc(value) < clock.now()


def language_name(code: str) -> str:
    return i18n.locale_info(code).name if code else ""


def has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


def staff_has_ability(ability: str) -> bool:
    return has_ability(g.get("staff"), ability)


def share_label(share: str) -> str:
    return words.share(share)


def text_dir(text: str | None) -> str:
    """ "rtl" when the first letter with a direction is Arabic or Hebrew script, else "ltr".

    For print and PDF, where ``dir="auto"`` is not honoured by every renderer."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def print_css() -> Markup:
    path = Path(current_app.static_folder or "") / "css" / "print.css"
    return Markup(path.read_text(encoding="utf-8"))  # noqa: S704 - our own static file


def _new_replies() -> list:
    """Threads with a reply the signed-in child has not opened yet (newest first); asked only
    by child pages, so staff pages never run the query."""
    child = g.get("child")
    if child is None:
        return []
    from voice.chat.messages import unseen_replies

    return list(unseen_replies(child))


def _context() -> dict:
    code = str(get_locale() or "en")
    info = i18n.locale_info(code)
    return {
        "locale": info,
        "all_locales": i18n.locales(),
        "signed_in_staff": g.get("staff"),
        "signed_in_council": g.get("council_member"),
        "signed_in_child": g.get("child"),
        "new_replies": _new_replies,
        "topics": registry.get("topics"),
        "pages": registry.get("pages"),
        "exit_url": current_app.config["VOICE_EXIT_URL"],
    }


def init_app(app: Flask) -> None:
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.autoescape = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_filter(date_filter, "date")
    app.add_template_filter(child_when_filter, "child_when")
    app.add_template_filter(is_past, "is_past")
    app.context_processor(_context)
    # A value that failed its check (moved, tampered) renders as this, in the reader's language.
    crypto.UnreadableText.shown_as = lambda: (
        Markup('<em class="unreadable">%s</em>')
        % gettext("This item cannot be shown: it failed a security check. The team has been told.")
    )
    app.jinja_env.globals.update(
        ct=present.ct,
        node_text=present.node_text,
        option_label=present.option_label,
        answer_text=present.answer_text,
        flow_text=present.flow_text,
        topic_title=present.topic_title,
        rights_url=rights_url,
        symbol=pictures.symbol,
        symbol_name=pictures.symbol_name,
        pictures_options=pictures.shown_options,
        pictures_drawing=pictures.offers_drawing,
        answer_macro=answer_macro,
        language_name=language_name,
        has_endpoint=has_endpoint,
        has_ability=staff_has_ability,
        share_label=share_label,
        # A fresh key for a staff form, so a double post of it stores one row (docs/adr/0023).
        new_form_key=lambda: uuid.uuid4().hex,
        # Safeguarding codes in plain English (voice.safeguarding.wording is the one place).
        alert_source=wording.source,
        alert_state=wording.state,
        alert_event=wording.event,
        alert_action=wording.action,
        alert_categories=wording.categories,
        print_css=print_css,
        text_dir=text_dir,
        status_word=words.status,
        routing_reason=words.routing_reason,
        kind_word=words.kind,
        reply_kind=words.reply_kind,
        questions_version=words.questions_version,
    )
