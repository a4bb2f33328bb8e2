"""Working-time arithmetic across lunch, nights, weekends, holidays, closures and DST."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from parvis.sla.worktime import (
    NoWorkingTime,
    WorkCalendar,
    add_working_days,
    add_working_time,
    subtract_working_time,
    working_time_between,
)

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)
CALENDAR = WorkCalendar()


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


def test_working_time_skips_the_lunch_break() -> None:
    assert add_working_time(CALENDAR, at(2026, 3, 3, 11, 30), HOUR) == at(2026, 3, 3, 14, 0)


def test_working_time_skips_the_night_and_starts_at_opening() -> None:
    assert add_working_time(CALENDAR, at(2026, 3, 3, 17, 0), HOUR) == at(2026, 3, 4, 9, 0)
    assert add_working_time(CALENDAR, at(2026, 3, 3, 22, 0), HOUR) == at(2026, 3, 4, 9, 30)


def test_working_time_across_the_weekend_when_summer_time_begins() -> None:
    # Sunday 29 March 2026 the clocks go from 2:00 to 3:00: Monday 9:30 is 7:30 UTC.
    start = at(2026, 3, 27, 16, 30)
    due = add_working_time(CALENDAR, start, 2 * HOUR)
    assert due == at(2026, 3, 30, 9, 30)
    assert due.astimezone(UTC) == datetime.datetime(2026, 3, 30, 7, 30, tzinfo=UTC)
    assert start.astimezone(UTC) == datetime.datetime(2026, 3, 27, 15, 30, tzinfo=UTC)
    assert working_time_between(CALENDAR, start, due) == 2 * HOUR


def test_working_time_across_the_weekend_when_winter_time_returns() -> None:
    start = datetime.datetime(2026, 10, 23, 15, 0, tzinfo=UTC)  # Friday 17:00 in Paris
    due = add_working_time(CALENDAR, start, HOUR)
    assert due == at(2026, 10, 26, 9, 0)
    assert due.astimezone(UTC) == datetime.datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert due.tzinfo is UTC  # returned in the zone it was given


def test_public_holidays_are_not_worked() -> None:
    # Ascension, Thursday 14 May 2026.
    assert add_working_time(CALENDAR, at(2026, 5, 13, 17, 0), HOUR) == at(2026, 5, 15, 9, 0)


def test_a_closure_added_by_the_administrator_is_not_worked() -> None:
    pont = WorkCalendar(closures=frozenset({datetime.date(2026, 5, 15)}))
    assert add_working_time(pont, at(2026, 5, 13, 17, 0), HOUR) == at(2026, 5, 18, 9, 0)


def test_working_days_count_from_the_day_after_and_end_at_closing_time() -> None:
    # Received Friday: J+2 is Tuesday, closing time.
    assert add_working_days(CALENDAR, at(2026, 3, 6, 10, 0), 2) == at(2026, 3, 10, 17, 30)
    # Easter Monday (6 April 2026) is not counted.
    assert add_working_days(CALENDAR, at(2026, 4, 3, 10, 0), 2) == at(2026, 4, 8, 17, 30)


def test_alsace_moselle_does_not_work_on_good_friday() -> None:
    alsace = WorkCalendar(alsace_moselle=True)
    assert add_working_days(CALENDAR, at(2026, 4, 2, 10, 0), 1) == at(2026, 4, 3, 17, 30)
    assert add_working_days(alsace, at(2026, 4, 2, 10, 0), 1) == at(2026, 4, 7, 17, 30)


def test_opening_hours_of_a_service_are_its_own() -> None:
    saturday_mornings = WorkCalendar(week={5: ((datetime.time(9, 0), datetime.time(12, 0)),)})
    assert add_working_time(saturday_mornings, at(2026, 3, 2, 9, 0), 4 * HOUR) == at(
        2026, 3, 14, 10, 0
    )


def test_elapsed_working_time_counts_opening_hours_only() -> None:
    assert working_time_between(CALENDAR, at(2026, 3, 6, 8, 0), at(2026, 3, 9, 20, 0)) == (
        15 * HOUR
    )
    assert working_time_between(CALENDAR, at(2026, 3, 9, 9, 0), at(2026, 3, 6, 17, 0)) == (
        -1 * HOUR
    )


def test_subtracting_working_time_walks_back_over_the_weekend() -> None:
    assert subtract_working_time(CALENDAR, at(2026, 3, 30, 9, 30), 2 * HOUR) == at(
        2026, 3, 27, 16, 30
    )


def test_a_calendar_without_opening_hours_is_refused_not_looped_on() -> None:
    with pytest.raises(NoWorkingTime):
        add_working_time(WorkCalendar(week={}), at(2026, 3, 2, 9, 0), HOUR)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_working_time(CALENDAR, datetime.datetime(2026, 3, 2, 9, 0), HOUR)  # noqa: DTZ001
