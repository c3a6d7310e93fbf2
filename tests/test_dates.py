"""Dates as a British reader expects them: never month-first, always London time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from voice import dates


def test_staff_see_day_month_year_and_london_time_without_seconds() -> None:
    moment = datetime(2026, 12, 6, 18, 38, 57, tzinfo=UTC)
    assert dates.staff_when(moment) == "6 Dec 2026, 18:38"
    assert dates.staff_when(moment, long=True) == "6 December 2026, 18:38"
    assert dates.staff_when(date(2026, 12, 6)) == "6 Dec 2026"


def test_summer_times_are_shown_in_british_summer_time() -> None:
    assert dates.staff_when(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == "2 Jul 2026, 00:30"
    assert dates.staff_day(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == "2 Jul 2026"


def test_naive_times_from_sqlite_are_taken_as_utc() -> None:
    assert dates.staff_when(datetime(2026, 6, 12, 9, 5)) == "12 Jun 2026, 10:05"


def test_a_child_reads_the_day_written_out() -> None:
    moment = datetime(2026, 12, 6, 18, 45, tzinfo=UTC)
    assert dates.child_when(moment, "en") == "Sunday 6 December, 6:45pm"
    assert dates.child_when(datetime(2026, 12, 7, 9, 5, tzinfo=UTC), "en") == "Monday 7 December, 9:05am"


def test_a_child_in_another_language_gets_their_own_month_and_day_names() -> None:
    moment = datetime(2026, 12, 6, 18, 45, tzinfo=UTC)
    polish = dates.child_when(moment, "pl")
    assert "grudnia" in polish and "niedziela" in polish
    assert dates.child_when(moment, "xx-not-a-locale") == "Sunday 6 December, 6:45pm"


def test_nothing_becomes_an_empty_string() -> None:
    assert dates.staff_when(None) == dates.child_when(None) == dates.staff_day(None) == ""
