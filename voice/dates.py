"""Dates and times as people in a British council read them: one helper for pages, exports and
emails (issues 16 and 19).

- Staff see the en-GB form in Europe/London time, without seconds: "6 Dec 2026, 18:38" and
  "6 Dec 2026". Never "12/6/26", which reads as 12 June.
- A child sees the day written out, in their own language: "Friday 6 December, 6:45pm" in
  English, and Babel's pattern for the same parts in other languages.

Stored times are UTC (SQLite hands them back naive); everything shown is Europe/London, so the
clocks going forward or back never shifts a date by an hour on screen.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time

from voice import clock

LONDON = ZoneInfo("Europe/London")
STAFF_LOCALE = "en_GB"


def london(value: datetime) -> datetime:
    return clock.as_utc(value).astimezone(LONDON)


def staff_when(value: datetime | date | None, *, long: bool = False) -> str:
    """ "6 Dec 2026, 18:38" (or "6 December 2026, 18:38" with long=True); a date alone as "6 Dec 2026"."""
    if value is None:
        return ""
    month = "MMMM" if long else "MMM"
    if isinstance(value, datetime):
        return format_datetime(london(value), f"d {month} y, HH:mm", locale=STAFF_LOCALE)
    return format_date(value, f"d {month} y", locale=STAFF_LOCALE)


def staff_day(value: datetime | date | None) -> str:
    """ "6 Dec 2026": a date, or the London date of a moment."""
    if value is None:
        return ""
    day = london(value).date() if isinstance(value, datetime) else value
    return format_date(day, "d MMM y", locale=STAFF_LOCALE)


def _child_locale(code: str | None) -> str:
    if not code or code == "en":
        return STAFF_LOCALE
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return STAFF_LOCALE
    return code.replace("-", "_")


def child_day(value: datetime | date | None, code: str | None = "en") -> str:
    """ "Friday 6 December" in the child's language."""
    if value is None:
        return ""
    day = london(value).date() if isinstance(value, datetime) else value
    # Day-first, with the day and month written in full: how every offered language writes it.
    return format_date(day, "EEEE d MMMM", locale=_child_locale(code))


def child_when(value: datetime | date | None, code: str | None = "en") -> str:
    """ "Friday 6 December, 6:45pm": the day written out, then the time as a child says it."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return child_day(value, code)
    local = london(value)
    locale = _child_locale(code)
    if locale == STAFF_LOCALE:
        hour = format_datetime(local, "h:mm", locale=locale)
        return f"{child_day(local, code)}, {hour}{'am' if local.hour < 12 else 'pm'}"
    return f"{child_day(local, code)}, {format_time(local, 'short', locale=locale)}"
