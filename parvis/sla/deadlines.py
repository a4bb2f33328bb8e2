"""A ticket's deadlines, computed from facts: pure functions, no database.

The clock of a target (first response, resolution) starts when the ticket is received and
runs in the service's working time; it stops while the ticket waits for the citizen and
resumes when it leaves that state, with the working time that was left. Everything is
recomputed from the whole history each time (``compute``), so the result does not depend
on the order in which events were delivered, nor on a delivery that came late.

The legal deadline of a démarche (``LegalDeadline``) is separate: counted in calendar
time from the day of filing, never paused — what the law says, not what the mairie aims at.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from parvis.catalog.vocabulary import LegalDeadline, TargetUnit
from parvis.sla.worktime import (
    NoWorkingTime,
    WorkCalendar,
    add_working_days,
    add_working_time,
    subtract_working_time,
    working_time_between,
)

Pause = tuple[datetime.datetime, datetime.datetime | None]  # (from, until; None: still)


@dataclass(frozen=True)
class Target:
    """So many working hours or working days."""

    amount: int
    unit: str  # a TargetUnit

    def due_from(self, calendar: WorkCalendar, start: datetime.datetime) -> datetime.datetime:
        if self.unit == TargetUnit.WORKING_HOURS:
            return add_working_time(calendar, start, datetime.timedelta(hours=self.amount))
        return add_working_days(calendar, start, self.amount)


@dataclass(frozen=True)
class Clock:
    """Where one target stands: due at ``due_at``, or paused with ``left`` working time.

    ``met_at``: when it was met (the first reply, the resolution); then nothing is due.
    """

    due_at: datetime.datetime | None
    left: datetime.timedelta | None = None
    met_at: datetime.datetime | None = None

    @property
    def is_paused(self) -> bool:
        return self.due_at is None and self.met_at is None and self.left is not None


def clock(
    calendar: WorkCalendar,
    target: Target | None,
    *,
    start: datetime.datetime,
    pauses: Sequence[Pause],
    met_at: datetime.datetime | None,
) -> Clock | None:
    """The clock of ``target`` started at ``start``; None without a target (or working time).

    Each pause that begins before the due moment pushes it back: the working time left when
    it began is counted again from its end. A pause still running leaves the clock stopped.
    Pauses after the target was met do not matter.
    """
    if target is None:
        return None
    try:
        due = target.due_from(calendar, start)
        for paused_at, resumed_at in sorted(pauses, key=lambda pause: pause[0]):
            if met_at is not None and paused_at >= met_at:
                break
            if paused_at >= due:
                break  # it was already late when it began waiting: it stays late
            left = working_time_between(calendar, max(paused_at, start), due)
            if resumed_at is None:
                return Clock(due_at=None, left=left, met_at=met_at)
            due = add_working_time(calendar, resumed_at, left)
    except NoWorkingTime:
        return None
    return Clock(due_at=due, met_at=met_at)


def pauses_from(
    transitions: Sequence[tuple[datetime.datetime, str, str]], waiting: str
) -> list[Pause]:
    """The periods spent in ``waiting``, from the ticket's status changes (at, from, to)."""
    pauses: list[Pause] = []
    since: datetime.datetime | None = None
    for at, source, target in sorted(transitions, key=lambda change: change[0]):
        if target == waiting and since is None:
            since = at
        elif source == waiting and target != waiting and since is not None:
            pauses.append((since, at))
            since = None
    if since is not None:
        pauses.append((since, None))
    return pauses


def legal_due(
    code: str, filed_at: datetime.datetime, zone: datetime.tzinfo
) -> datetime.date | None:
    """The last day of a démarche's legal deadline (one month: the same day a month later)."""
    if code in (LegalDeadline.URBANISM_ONE_MONTH, LegalDeadline.CADA_ONE_MONTH):
        return _month_later(filed_at.astimezone(zone).date())
    return None


def _month_later(day: datetime.date) -> datetime.date:
    """The same day a month later; the month's last day when it has no such day (31 → 30)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)  # pragma: no cover


def warning_moment(
    calendar: WorkCalendar, due_at: datetime.datetime, lead: datetime.timedelta
) -> datetime.datetime:
    """``lead`` of working time before ``due_at``: when the assignee is warned."""
    try:
        return subtract_working_time(calendar, due_at, lead)
    except NoWorkingTime:
        return due_at
