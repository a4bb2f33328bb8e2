"""A ticket's clocks from facts: targets, pauses while waiting for the citizen, legal deadline."""

import datetime
from zoneinfo import ZoneInfo

from parvis.catalog.vocabulary import LegalDeadline, TargetUnit
from parvis.sla.deadlines import Target, clock, legal_due, pauses_from, warning_moment
from parvis.sla.worktime import WorkCalendar

PARIS = ZoneInfo("Europe/Paris")
CALENDAR = WorkCalendar()
EIGHT_HOURS = Target(amount=8, unit=TargetUnit.WORKING_HOURS)


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


def test_a_target_in_working_hours_runs_over_the_night() -> None:
    # Monday 9:00: 7 h until closing, the eighth on Tuesday.
    state = clock(CALENDAR, EIGHT_HOURS, start=at(2026, 3, 2, 9, 0), pauses=[], met_at=None)
    assert state is not None
    assert state.due_at == at(2026, 3, 3, 9, 30)


def test_waiting_for_the_citizen_pauses_the_clock_and_it_resumes_with_what_was_left() -> None:
    # 4 h worked by Monday 14:30, then waiting until Wednesday 10:00: 4 h left from there.
    pauses = [(at(2026, 3, 2, 14, 30), at(2026, 3, 4, 10, 0))]
    state = clock(CALENDAR, EIGHT_HOURS, start=at(2026, 3, 2, 9, 0), pauses=pauses, met_at=None)
    assert state is not None
    assert state.due_at == at(2026, 3, 4, 15, 30)


def test_a_ticket_still_waiting_has_no_due_time_and_keeps_what_is_left() -> None:
    pauses = [(at(2026, 3, 2, 14, 30), None)]
    state = clock(CALENDAR, EIGHT_HOURS, start=at(2026, 3, 2, 9, 0), pauses=pauses, met_at=None)
    assert state is not None
    assert state.is_paused
    assert state.due_at is None
    assert state.left == datetime.timedelta(hours=4)


def test_two_pauses_around_a_holiday() -> None:
    # Thursday 30 April 2026, 2 working days: 1 May is a holiday, J+1 is Monday 4 May,
    # J+2 Tuesday 5 May at closing time.
    two_days = Target(amount=2, unit=TargetUnit.WORKING_DAYS)
    start = at(2026, 4, 30, 16, 30)
    unpaused = clock(CALENDAR, two_days, start=start, pauses=[], met_at=None)
    assert unpaused is not None
    assert unpaused.due_at == at(2026, 5, 5, 17, 30)
    pauses = [
        # Monday 9:00–11:00: 14 h 30 were left, counted again from 11:00 → Wednesday 10:30.
        (at(2026, 5, 4, 9, 0), at(2026, 5, 4, 11, 0)),
        # Monday 16:30 to Wednesday 9:00: 10 h 30 were left → Thursday 7 May 12:00.
        (at(2026, 5, 4, 16, 30), at(2026, 5, 6, 9, 0)),
    ]
    state = clock(CALENDAR, two_days, start=start, pauses=pauses, met_at=None)
    assert state is not None
    assert state.due_at == at(2026, 5, 7, 12, 0)


def test_a_pause_that_begins_after_the_due_time_does_not_excuse_the_delay() -> None:
    pauses = [(at(2026, 3, 5, 9, 0), at(2026, 3, 9, 9, 0))]
    state = clock(CALENDAR, EIGHT_HOURS, start=at(2026, 3, 2, 9, 0), pauses=pauses, met_at=None)
    assert state is not None
    assert state.due_at == at(2026, 3, 3, 9, 30)


def test_no_target_no_clock() -> None:
    assert clock(CALENDAR, None, start=at(2026, 3, 2, 9, 0), pauses=[], met_at=None) is None


def test_pauses_are_the_periods_spent_waiting() -> None:
    changes = [
        (at(2026, 3, 2, 10, 0), "new", "in_progress"),
        (at(2026, 3, 2, 11, 0), "in_progress", "waiting"),
        (at(2026, 3, 3, 9, 0), "waiting", "in_progress"),
        (at(2026, 3, 4, 9, 0), "in_progress", "waiting"),
    ]
    assert pauses_from(changes, "waiting") == [
        (at(2026, 3, 2, 11, 0), at(2026, 3, 3, 9, 0)),
        (at(2026, 3, 4, 9, 0), None),
    ]


def test_the_legal_deadline_is_a_calendar_month_unpaused() -> None:
    filed = at(2026, 1, 31, 23, 30)
    assert legal_due(LegalDeadline.URBANISM_ONE_MONTH, filed, PARIS) == datetime.date(2026, 2, 28)
    assert legal_due(LegalDeadline.CADA_ONE_MONTH, at(2026, 12, 15, 9), PARIS) == datetime.date(
        2027, 1, 15
    )
    assert legal_due("", filed, PARIS) is None


def test_the_warning_comes_the_lead_in_working_hours_before() -> None:
    # Due Monday 9:30; 4 working hours before is Friday 14:30.
    lead = datetime.timedelta(hours=4)
    assert warning_moment(CALENDAR, at(2026, 3, 30, 9, 30), lead) == at(2026, 3, 27, 14, 30)
