"""From a démarche's fields to a slot of a resource: which fields say what, and the times.

A démarche books a resource when it has the fields of one of the ``BINDINGS``: a room for
some hours (``room``, ``event_date``, ``start_time``, ``end_time``: the default
« Réservation de salle municipale »), or equipment for whole days (``equipment``,
``pickup_date``, ``return_date``: « Prêt de matériel »). The resource field is a choice
whose values are resources' slugs; a value that names no active resource of the démarche
books nothing (the room of an old choice, a resource withdrawn).

Times are typed as people write them (« 14h », « 14h30 », « 14:30 »); an end at or before
the start is on the next day (a party from 20h to 2h), « 24h00 » is midnight.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.catalog.models import RequestType


@dataclass(frozen=True)
class Binding:
    """The keys of the fields that say what a démarche's ticket books."""

    resource: str
    start_date: str
    start_time: str = ""  # none: whole days
    end_time: str = ""
    end_date: str = ""

    @property
    def is_timed(self) -> bool:
        return bool(self.start_time)

    def keys(self) -> set[str]:
        return {
            k
            for k in (self.resource, self.start_date, self.start_time, self.end_time, self.end_date)
            if k
        }


ROOM = Binding("room", "event_date", start_time="start_time", end_time="end_time")
EQUIPMENT = Binding("equipment", "pickup_date", end_date="return_date")
BINDINGS = (ROOM, EQUIPMENT)


def binding_for(field_keys: set[str]) -> Binding | None:
    """The binding whose fields the démarche has, if any."""
    return next((b for b in BINDINGS if b.keys() <= field_keys), None)


def binding_of(request_type: RequestType | None) -> Binding | None:
    """The fields of this démarche that say what it books, if it books something."""
    if request_type is None:
        return None
    return binding_for({definition.key for definition in request_type.fields.all()})


@dataclass(frozen=True)
class Slot:
    """``[starts_at, ends_at)`` of the resource named ``resource_slug``."""

    resource_slug: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


_TIME = re.compile(r"^\s*(\d{1,2})\s*(?:[hH:]\s*(\d{2})?)?\s*$")


def parse_time(text: str) -> datetime.time | None:
    """« 14h », « 14h30 », « 14:30 », « 14 » → the time; « 24h00 » → midnight; else None."""
    match = _TIME.match(text or "")
    if match is None:
        return None
    hours, minutes = int(match[1]), int(match[2] or 0)
    if hours == 24 and minutes == 0:
        return datetime.time(0, 0)
    if hours > 23 or minutes > 59:
        return None
    return datetime.time(hours, minutes)


def local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """That day and time in the commune's zone (an hour skipped by the clock is moved on)."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The commune's day, from midnight to the next midnight."""
    return local(day, datetime.time()), local(day + datetime.timedelta(days=1), datetime.time())


def requested_slot(binding: Binding, values: dict[str, object]) -> Slot | None:
    """The slot asked for in these (valid) field values; a French ValidationError per field.

    None when no resource was chosen.
    """
    slug = str(values.get(binding.resource) or "")
    start_day = _date(values.get(binding.start_date))
    if not slug or start_day is None:
        return None
    if not binding.is_timed:
        end_day = _date(values.get(binding.end_date)) or start_day
        if end_day < start_day:
            raise ValidationError(
                {binding.end_date: _("La date de retour doit suivre la date d'enlèvement.")}
            )
        starts, _unused = day_bounds(start_day)
        _unused, ends = day_bounds(end_day)
        return Slot(slug, starts, ends)
    errors = {}
    times = {}
    for key in (binding.start_time, binding.end_time):
        times[key] = parse_time(str(values.get(key) or ""))
        if times[key] is None:
            errors[key] = _("Indiquez une heure, par exemple 14h00 ou 14h30.")
    if errors:
        raise ValidationError(errors)
    start, end = times[binding.start_time], times[binding.end_time]
    assert start is not None and end is not None
    end_day = start_day + datetime.timedelta(days=1) if end <= start else start_day
    return Slot(slug, local(start_day, start), local(end_day, end))


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
