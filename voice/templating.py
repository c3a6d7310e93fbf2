"""Jinja set-up: strict undefined, filters registered in one place, shared context."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, g
from flask_babel import format_date, format_datetime, get_locale
from jinja2 import StrictUndefined

from voice import clock, i18n


def date_filter(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(clock.as_utc(value), fmt)
    return format_date(value, fmt)


def _context() -> dict:
    code = str(get_locale() or "en")
    info = i18n.locale_info(code)
    return {
        "locale": info,
        "all_locales": i18n.locales(),
        "signed_in_staff": g.get("staff"),
        "signed_in_council": g.get("council_member"),
        "signed_in_child": g.get("child"),
    }


def init_app(app: Flask) -> None:
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.autoescape = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_filter(date_filter, "date")
    app.context_processor(_context)
