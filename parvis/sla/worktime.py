"""Working-time arithmetic: pure functions over a commune's business calendar.

A ``WorkCalendar`` says, for a service, when its staff work: opening periods per weekday
(default Monday to Friday 8:30–12:00 and 13:30–17:30), public holidays (``holidays``, with
Alsace-Moselle's days when the commune has them) and the closures an administrator adds
("ponts"). Times are wall-clock times in the commune's zone (Europe/Paris by default):
8:30 is 8:30 in winter and in summer, and an hour of working time is an hour, whatever the
UTC offset of the day. Every function takes and returns aware datetimes.

"N working days" means by the end of the N-th working day after the day it starts (the
day of receipt is not counted: J+N, as French administrations count): a request received
on Friday with 2 working days is due on Tuesday at closing time.
"""

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from parvis.sla.holidays import is_public_holiday

Period = tuple[datetime.time, datetime.time]

DEFAULT_PERIODS: tuple[Period, ...] = (
    (datetime.time(8, 30), datetime.time(12, 0)),
    (datetime.time(13, 30), datetime.time(17, 30)),
)
DEFAULT_WEEK: Mapping[int, tuple[Period, ...]] = {weekday: DEFAULT_PERIODS for weekday in range(5)}

# How far the arithmetic looks for working time before giving up: a calendar with no
# opening hours at all would otherwise loop for ever.
HORIZON_DAYS = 3 * 366


class NoWorkingTime(ValueError):
    """The calendar has no working time within ``HORIZON_DAYS`` (no opening hours at all)."""


@dataclass(frozen=True)
class WorkCalendar:
    """When a service works: weekday (0 = Monday) → opening periods, and the closed days."""

    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Paris"))
    week: Mapping[int, tuple[Period, ...]] = field(default_factory=lambda: dict(DEFAULT_WEEK))
    closures: frozenset[datetime.date] = frozenset()
    alsace_moselle: bool = False

    def is_working_day(self, day: datetime.date) -> bool:
        return (
            bool(self.week.get(day.weekday()))
            and day not in self.closures
            and not is_public_holiday(day, alsace_moselle=self.alsace_moselle)
        )

    def periods(self, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """The day's opening periods as aware datetimes (none on a closed day)."""
        if not self.is_working_day(day):
            return []
        return [
            (
                datetime.datetime.combine(day, opens, tzinfo=self.zone),
                datetime.datetime.combine(day, closes, tzinfo=self.zone),
            )
            for opens, closes in self.week[day.weekday()]
        ]

    def _days_from(self, day: datetime.date) -> Iterator[datetime.date]:
        for offset in range(HORIZON_DAYS):
            yield day + datetime.timedelta(days=offset)
        raise NoWorkingTime(day)


def add_working_time(
    calendar: WorkCalendar, start: datetime.datetime, amount: datetime.timedelta
) -> datetime.datetime:
    """The moment when ``amount`` of working time has passed since ``start``.

    Time outside opening hours does not count; a zero amount from outside opening hours is
    ``start`` itself (nothing is owed yet).
    """
    _aware(start)
    left = amount
    if left <= datetime.timedelta(0):
        return start
    local = start.astimezone(calendar.zone)
    for day in calendar._days_from(local.date()):
        for opens, closes in calendar.periods(day):
            begin = max(opens, local)
            if begin >= closes:
                continue
            available = closes - begin
            if left <= available:
                return (begin + left).astimezone(start.tzinfo)
            left -= available
    raise NoWorkingTime(start)  # pragma: no cover - _days_from raises first


def subtract_working_time(
    calendar: WorkCalendar, end: datetime.datetime, amount: datetime.timedelta
) -> datetime.datetime:
    """The latest moment from which ``amount`` of working time reaches ``end``."""
    _aware(end)
    left = amount
    if left <= datetime.timedelta(0):
        return end
    local = end.astimezone(calendar.zone)
    for offset in range(HORIZON_DAYS):
        day = local.date() - datetime.timedelta(days=offset)
        for opens, closes in reversed(calendar.periods(day)):
            finish = min(closes, local)
            if finish <= opens:
                continue
            available = finish - opens
            if left <= available:
                return (finish - left).astimezone(end.tzinfo)
            left -= available
    raise NoWorkingTime(end)


def add_working_days(
    calendar: WorkCalendar, start: datetime.datetime, days: int
) -> datetime.datetime:
    """Closing time of the ``days``-th working day after the day of ``start`` (J+N)."""
    _aware(start)
    if days <= 0:
        return start
    local = start.astimezone(calendar.zone)
    counted = 0
    for day in calendar._days_from(local.date() + datetime.timedelta(days=1)):
        if calendar.is_working_day(day):
            counted += 1
            if counted >= days:
                return calendar.periods(day)[-1][1].astimezone(start.tzinfo)
    raise NoWorkingTime(start)  # pragma: no cover - _days_from raises first


def working_time_between(
    calendar: WorkCalendar, start: datetime.datetime, end: datetime.datetime
) -> datetime.timedelta:
    """The working time from ``start`` to ``end`` (negative if ``end`` comes first)."""
    _aware(start)
    _aware(end)
    if end < start:
        return -working_time_between(calendar, end, start)
    total = datetime.timedelta(0)
    day = start.astimezone(calendar.zone).date()
    last = end.astimezone(calendar.zone).date()
    while day <= last:
        for opens, closes in calendar.periods(day):
            begin, finish = max(opens, start), min(closes, end)
            if finish > begin:
                total += finish - begin
        day += datetime.timedelta(days=1)
    return total


def _aware(moment: datetime.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("working-time arithmetic needs aware datetimes")
