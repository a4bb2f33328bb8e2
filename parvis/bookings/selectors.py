"""Every read of resources and bookings that a person sees, with its visibility.

Agents see the resources of their services (an administrator sees all) and manage their
bookings. Citizens see, for a resource of the démarche they file, which hours of a day are
taken — times only, never who booked nor why. The calendar feed shows approved slots to
whoever holds the resource's secret address, without a word about the bookers.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from parvis.accounts.models import User
from parvis.bookings.models import Booking, BookingState, Resource
from parvis.bookings.slots import day_bounds
from parvis.tickets.models import Ticket
from parvis.tickets.selectors import member_service_ids, tickets_visible_to

# How far back the calendar feed goes: enough for last month's events, not years of them.
FEED_HISTORY = datetime.timedelta(days=92)
LIVE_STATES = (BookingState.REQUESTED, BookingState.APPROVED)


def resources_for_agent(user: User) -> QuerySet[Resource]:
    """The resources an agent manages: those of their services (all, for an administrator)."""
    resources = Resource.objects.select_related("service")
    if user.is_superuser:
        return resources
    return resources.filter(service_id__in=member_service_ids(user))


def resource_for_agent(user: User, resource_id: int) -> Resource:
    """The resource if this agent manages it, else a 404."""
    try:
        return resources_for_agent(user).get(pk=resource_id)
    except Resource.DoesNotExist:
        raise Http404 from None


def may_decide(user: User, booking: Booking) -> bool:
    """Whether this agent approves or refuses the booking: a member of the resource's service."""
    return user.is_superuser or booking.resource.service_id in member_service_ids(user)


def booking_for_agent(user: User, booking_id: int) -> Booking:
    """The booking if the agent sees its ticket and manages its resource, else a 404."""
    booking = (
        Booking.objects.select_related("resource", "ticket")
        .filter(ticket__in=tickets_visible_to(user), pk=booking_id)
        .first()
    )
    if booking is None or not may_decide(user, booking):
        raise Http404
    return booking


def ticket_bookings(ticket: Ticket) -> list[Booking]:
    """The bookings asked for on a ticket (which the caller may see), with their resource."""
    return list(ticket.bookings.select_related("resource"))


@dataclass(frozen=True)
class CalendarDay:
    """One day of a resource's week: the bookings asked for or approved that touch it."""

    date: datetime.date
    bookings: list[Booking]


def week_calendar(resource: Resource, monday: datetime.date) -> list[CalendarDay]:
    """The seven days from ``monday``, each with its live bookings, in one query.

    A booking over several days is listed on each day it touches.
    """
    start, _unused = day_bounds(monday)
    _unused, end = day_bounds(monday + datetime.timedelta(days=6))
    bookings = list(
        resource.bookings.filter(state__in=LIVE_STATES, starts_at__lt=end, ends_at__gt=start)
        .select_related("ticket")
        .only("starts_at", "ends_at", "state", "resource_id", "ticket__reference")
    )
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        day_start, day_end = day_bounds(day)
        days.append(
            CalendarDay(
                day, [b for b in bookings if b.starts_at < day_end and b.ends_at > day_start]
            )
        )
    return days


@dataclass(frozen=True)
class Period:
    """A stretch of a day, free or taken (by an approved booking): times only."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    taken: bool


def bookable_resources(request_type_id: int) -> QuerySet[Resource]:
    """The active resources a démarche books (the portal's choice)."""
    return Resource.objects.filter(request_type_id=request_type_id, is_active=True)


def bookable_resource(request_type_id: int, slug: str) -> Resource | None:
    return bookable_resources(request_type_id).filter(slug=slug).first()


def day_availability(resource: Resource, day: datetime.date) -> list[Period]:
    """The day, from midnight to midnight, cut into free and taken periods.

    Reads only the approved slots' times (``values_list``): nothing about who booked can
    reach the page.
    """
    day_start, day_end = day_bounds(day)
    taken = Booking.objects.filter(
        resource=resource,
        state=BookingState.APPROVED,
        starts_at__lt=day_end,
        ends_at__gt=day_start,
    ).values_list("starts_at", "ends_at")
    periods = []
    cursor = day_start
    for starts_at, ends_at in sorted(taken):
        starts_at, ends_at = max(starts_at, day_start), min(ends_at, day_end)
        if starts_at > cursor:
            periods.append(Period(cursor, starts_at, taken=False))
        periods.append(Period(max(starts_at, cursor), ends_at, taken=True))
        cursor = max(cursor, ends_at)
    if cursor < day_end:
        periods.append(Period(cursor, day_end, taken=False))
    return [
        Period(timezone.localtime(p.starts_at), timezone.localtime(p.ends_at), p.taken)
        for p in periods
    ]


def resource_by_feed_token(token: str) -> Resource | None:
    return Resource.objects.filter(feed_token=token).first() if token else None


def feed_slots(resource: Resource) -> list[tuple[int, datetime.datetime, datetime.datetime]]:
    """The approved slots of the calendar feed (id, start, end): times only, from last months."""
    since = timezone.now() - FEED_HISTORY
    return list(
        Booking.objects.filter(
            resource=resource, state=BookingState.APPROVED, ends_at__gt=since
        ).values_list("pk", "starts_at", "ends_at")
    )
