"""The date range a set of figures covers, checked before any query runs.

An end before the start is refused with a clear message. An end in the future is brought back
to today, and a start more than ten years before the end is brought forward to ten years: the
figures stay meaningful and no query ever scans an unbounded range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from voice import clock
from voice.dates import LONDON

MAX_YEARS = 10
DEFAULT_DAYS = 365


class PeriodError(ValueError):
    """A date range that cannot be used (the message says why, in plain words)."""


def today() -> date:
    return clock.now().astimezone(LONDON).date()


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    notes: tuple = field(default=())

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time.min, LONDON)

    @property
    def ends_before(self) -> datetime:
        """The first moment after the period (its last day included)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, LONDON)

    def months(self) -> list[str]:
        """Each calendar month the period touches, as YYYY-MM."""
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _parse(raw: str | date | None, name: str) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise PeriodError(_l("The %(name)s date is not a date: use YYYY-MM-DD.", name=name)) from None


def make(start: str | date | None = None, end: str | date | None = None) -> Period:
    """A checked period. Missing dates mean the year up to today."""
    first, last = _parse(start, "from"), _parse(end, "to")
    now, notes = today(), []
    last = last or now
    if last > now:
        notes.append(_l("The end date was in the future: the figures run to today."))
        last = now
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > now:
        raise PeriodError(_l("The start date is in the future: choose a start on or before today."))
    if first > last:
        raise PeriodError(_l("The end date is before the start date: choose an end on or after the start."))
    earliest = date(last.year - MAX_YEARS, last.month, min(last.day, 28))
    if first < earliest:
        notes.append(
            _l(
                "Insight covers at most %(years)s years: the figures start on %(day)s.",
                years=MAX_YEARS,
                day=earliest,
            )
        )
        first = earliest
    return Period(first, last, tuple(notes))
