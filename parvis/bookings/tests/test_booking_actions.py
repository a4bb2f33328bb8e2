"""The booking actions: a slot asked for on a ticket, approved once, refused, cancelled."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parvis.accounts.selectors import system_actor
from parvis.bookings.actions import (
    booking_approve,
    booking_cancel,
    booking_refuse,
    booking_request,
)
from parvis.bookings.models import Booking, BookingState, Resource
from parvis.bookings.slots import local
from parvis.tickets.events import Audience, describe, names_for
from parvis.tickets.models import Event

pytestmark = pytest.mark.django_db


def _at(hour: int, day: int = 19) -> datetime.datetime:
    return local(datetime.date(2027, 6, day), datetime.time(hour))


def test_a_room_ticket_asks_for_its_slot(room_ticket: Callable[..., Any]) -> None:
    ticket = room_ticket()
    booking = Booking.objects.get(ticket=ticket)
    assert booking.resource.slug == "salle-des-fetes"
    assert booking.state == BookingState.REQUESTED
    assert (timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)) == (
        _at(14),
        _at(23),
    )
    event = ticket.events.get(kind=Event.Kind.BOOKING_REQUESTED)
    assert event.data == {
        "booking_id": booking.pk,
        "resource_id": booking.resource_id,
        "starts_at": booking.starts_at.isoformat(),
        "ends_at": booking.ends_at.isoformat(),
    }


def test_an_end_before_the_start_is_on_the_next_day(room_ticket: Callable[..., Any]) -> None:
    booking = Booking.objects.get(ticket=room_ticket(start_time="20h", end_time="2h"))
    assert timezone.localtime(booking.ends_at) == _at(2, day=20)


def test_approving_holds_the_slot_and_says_so_in_the_history(
    room_ticket: Callable[..., Any], make_agent: Callable[..., Any]
) -> None:
    agent = make_agent("vie-associative")
    ticket = room_ticket()
    booking = booking_approve(booking=Booking.objects.get(ticket=ticket), actor=agent)
    assert booking.state == BookingState.APPROVED
    assert booking.decided_by == agent
    event = ticket.events.get(kind=Event.Kind.BOOKING_APPROVED)
    names = names_for([event], Audience.AGENT)
    assert describe(event, Audience.AGENT, names) == (
        "Réservation accordée : Salle des fêtes, le 19/06/2027 de 14:00 à 23:00"
    )
    citizen = describe(event, Audience.CITIZEN, names_for([event], Audience.CITIZEN))
    assert (
        citizen
        == "Votre réservation est accordée : Salle des fêtes, le 19/06/2027 de 14:00 à 23:00"
    )


def test_a_second_approval_of_an_overlapping_slot_is_refused_in_french(
    room_ticket: Callable[..., Any], make_agent: Callable[..., Any]
) -> None:
    agent = make_agent("vie-associative")
    first = Booking.objects.get(ticket=room_ticket())
    second = Booking.objects.get(ticket=room_ticket(start_time="22h00", end_time="23h30"))
    booking_approve(booking=first, actor=agent)
    with pytest.raises(ValidationError, match="Ce créneau vient d'être réservé"):
        booking_approve(booking=second, actor=agent)
    second.refresh_from_db()
    assert second.state == BookingState.REQUESTED
    assert not second.ticket.events.filter(kind=Event.Kind.BOOKING_APPROVED).exists()


def test_slots_that_touch_do_not_overlap(
    room_ticket: Callable[..., Any], make_agent: Callable[..., Any]
) -> None:
    agent = make_agent("vie-associative")
    afternoon = Booking.objects.get(ticket=room_ticket(start_time="9h", end_time="14h"))
    evening = Booking.objects.get(ticket=room_ticket(start_time="14h", end_time="23h"))
    booking_approve(booking=afternoon, actor=agent)
    booking_approve(booking=evening, actor=agent)
    assert Booking.objects.filter(state=BookingState.APPROVED).count() == 2


def test_a_request_for_a_slot_already_approved_is_refused(
    room_ticket: Callable[..., Any], make_agent: Callable[..., Any]
) -> None:
    booking_approve(booking=Booking.objects.get(ticket=room_ticket()), actor=make_agent())
    with pytest.raises(ValidationError) as refused:
        room_ticket(start_time="18h00", end_time="20h00")
    assert refused.value.message_dict == {
        "start_time": [
            "Ce créneau est déjà réservé : choisissez un autre horaire ou une autre date."
        ]
    }
    assert Booking.objects.count() == 1


def test_requests_may_overlap_until_one_is_approved(room_ticket: Callable[..., Any]) -> None:
    room_ticket()
    room_ticket()
    assert Booking.objects.filter(state=BookingState.REQUESTED).count() == 2


def test_refusing_an_approved_booking_frees_its_slot(
    room_ticket: Callable[..., Any], make_agent: Callable[..., Any]
) -> None:
    agent = make_agent("vie-associative")
    first = Booking.objects.get(ticket=room_ticket())
    second = Booking.objects.get(ticket=room_ticket())
    booking_approve(booking=first, actor=agent)
    booking_refuse(booking=first, actor=agent)
    assert booking_approve(booking=second, actor=agent).state == BookingState.APPROVED
    assert first.ticket.events.filter(kind=Event.Kind.BOOKING_REFUSED).count() == 1


def test_a_cancelled_booking_cannot_be_approved(room_ticket: Callable[..., Any]) -> None:
    booking = booking_cancel(booking=Booking.objects.get(ticket=room_ticket()), actor=None)
    assert booking.state == BookingState.CANCELLED
    with pytest.raises(ValidationError, match="Seule une réservation demandée"):
        booking_approve(booking=booking, actor=system_actor())


def test_a_withdrawn_resource_cannot_be_requested(room_ticket: Callable[..., Any]) -> None:
    ticket = room_ticket()
    resource = Resource.objects.get(slug="salle-polyvalente")
    resource.is_active = False
    resource.save()
    with pytest.raises(ValidationError, match="ne peut plus être réservé"):
        booking_request(
            ticket=ticket, resource=resource, starts_at=_at(9), ends_at=_at(10), actor=None
        )


def test_the_database_refuses_two_approved_overlapping_bookings(
    room_ticket: Callable[..., Any],
) -> None:
    """Written past the actions: the rule holds in the database itself (migration 0002)."""
    first = Booking.objects.get(ticket=room_ticket())
    second = Booking.objects.get(ticket=room_ticket(start_time="15h", end_time="16h"))
    Booking.objects.filter(pk=first.pk).update(state=BookingState.APPROVED)
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.filter(pk=second.pk).update(state=BookingState.APPROVED)
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            resource=first.resource,
            ticket=first.ticket,
            starts_at=_at(22),
            ends_at=_at(23, day=20),
            state=BookingState.APPROVED,
        )


def test_the_database_lets_other_resources_and_unapproved_rows_overlap(
    room_ticket: Callable[..., Any],
) -> None:
    first = Booking.objects.get(ticket=room_ticket())
    Booking.objects.filter(pk=first.pk).update(state=BookingState.APPROVED)
    other_room = Resource.objects.get(slug="salle-polyvalente")
    Booking.objects.create(
        resource=other_room,
        ticket=first.ticket,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        state=BookingState.APPROVED,
    )
    Booking.objects.create(
        resource=first.resource,
        ticket=first.ticket,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        state=BookingState.REFUSED,
    )
    assert Booking.objects.count() == 3
