"""Jinja set-up: strict undefined, filters registered in one place, shared context."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Flask, current_app, g, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined
from markupsafe import Markup

from voice import clock, dates, i18n
from voice.auth.permissions import has_ability
from voice.chat import present
from voice.chat.answers import get_handler
from voice.content import registry


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


SHARE_LABELS = {
    "worker": _l("Shared with: social worker"),
    "worker_iro": _l("Shared with: social worker and IRO"),
    "review": _l("Shared with: read out at the review"),
}


ALERT_SOURCES = {
    "button": _l('The child pressed "I don\'t feel safe"'),
    "button_pre_pin": _l(
        "Someone pressed \"I don't feel safe\" on the child's phone before the PIN was put in"
    ),
    "detector": _l("Voice noticed words that may mean the child is not safe"),
    "ask": _l("A question the child asked"),
    "error": _l("Voice could not check the words, so it is treated as a concern"),
}


def alert_source(source: str) -> str:
    return str(ALERT_SOURCES.get(source, source))


def share_label(share: str) -> str:
    return str(SHARE_LABELS.get(share, share))


def print_css() -> Markup:
    path = Path(current_app.static_folder or "") / "css" / "print.css"
    return Markup(path.read_text(encoding="utf-8"))  # noqa: S704 - our own static file


def _context() -> dict:
    code = str(get_locale() or "en")
    info = i18n.locale_info(code)
    return {
        "locale": info,
        "all_locales": i18n.locales(),
        "signed_in_staff": g.get("staff"),
        "signed_in_council": g.get("council_member"),
        "signed_in_child": g.get("child"),
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
    app.jinja_env.globals.update(
        ct=present.ct,
        node_text=present.node_text,
        option_label=present.option_label,
        answer_text=present.answer_text,
        flow_text=present.flow_text,
        topic_title=present.topic_title,
        rights_url=rights_url,
        answer_macro=answer_macro,
        language_name=language_name,
        has_endpoint=has_endpoint,
        has_ability=staff_has_ability,
        share_label=share_label,
        alert_source=alert_source,
        print_css=print_css,
    )
