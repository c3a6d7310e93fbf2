"""Review timing under the Care Planning, Placement and Case Review (England) Regulations 2010,
reg 33: the first review within 20 working days of becoming looked after, the second within
3 months of the first, then at most 6 months apart. Working days skip weekends and England's
bank holidays (``voice.routing.working_time``).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from voice.routing.working_time import is_working_day

FIRST_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6


def add_working_days(day: date, days: int) -> date:
    """``days`` working days after ``day`` (or before it, when negative)."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_review_by(became_looked_after_on: date) -> date:
    return add_working_days(became_looked_after_on, FIRST_REVIEW_WORKING_DAYS)


def next_review_by(
    *, became_looked_after_on: date | None, last_review_on: date | None, sequence: int
) -> date | None:
    """The latest lawful date for review number ``sequence`` (1 = the first).

    ``last_review_on`` is the previous review's date; it is needed for the second and later
    reviews, and ``became_looked_after_on`` for the first. None when the fact needed is missing.
    """
    if sequence <= 1:
        return first_review_by(became_looked_after_on) if became_looked_after_on else None
    if last_review_on is None:
        return None
    months = SECOND_REVIEW_MONTHS if sequence == 2 else LATER_REVIEW_MONTHS
    return add_months(last_review_on, months)


def sequence_after(last_review_on: date | None, became_looked_after_on: date | None, held_before: int) -> int:
    """Which review comes next. When the file gives only the last review's date, a last review
    that falls before the second could have been due is taken to be the first: the safer
    guess, because it gives the earlier (3-month) deadline."""
    if last_review_on is None:
        return 1
    if held_before:
        return held_before + 1
    if became_looked_after_on is not None and last_review_on < add_months(
        first_review_by(became_looked_after_on), SECOND_REVIEW_MONTHS
    ):
        return 2
    return 3
