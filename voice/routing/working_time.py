"""Working days and hours in Europe/London, with England's bank holidays.

Deadlines ("read within 2 working days") and escalation ("out of hours goes straight to the
emergency duty team") both depend on this, so it lives in one place.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def is_working_hours(moment: datetime, *, start_hour: int = 9, end_hour: int = 17) -> bool:
    local = moment.astimezone(LONDON)
    return is_working_day(local.date()) and start_hour <= local.hour < end_hour


def add_working_days(moment: datetime, days: int) -> datetime:
    """The same local time ``days`` working days later (weekends and bank holidays skipped)."""
    local = moment.astimezone(LONDON)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    wall = datetime.combine(day, local.time().replace(tzinfo=None))
    return wall.replace(tzinfo=LONDON).astimezone(moment.tzinfo)


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days after ``start``'s date up to and including ``end``'s date."""
    a, b = start.astimezone(LONDON).date(), end.astimezone(LONDON).date()
    count, day = 0, a
    while day < b:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
