"""A ticket of a booking démarche asks for its slot: from the fields typed to a booking.

``intake_submit`` (every channel: portal, phone, API) calls ``booking_asked`` before
creating the ticket — a time it cannot read or a slot already taken is refused then, on its
field, with nothing created — and ``booking_request_asked`` in the ticket's transaction.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from parvis.accounts.models import User
from parvis.bookings.actions import (
    SlotTaken,
    booking_request,
    overlaps_approved,
    slot_taken_message,
)
from parvis.bookings.models import Booking, Resource
from parvis.bookings.slots import Binding, Slot, binding_of, requested_slot
from parvis.catalog.models import RequestType
from parvis.tickets.models import Ticket


@dataclass(frozen=True)
class BookingAsked:
    """The resource and slot a ticket's fields ask for."""

    resource: Resource
    slot: Slot
    binding: Binding


def booking_asked(request_type: RequestType, values: dict[str, object]) -> BookingAsked | None:
    """What these valid field values book, if the démarche books; a French error per field."""
    binding = binding_of(request_type)
    if binding is None:
        return None
    slot = requested_slot(binding, values)
    if slot is None:
        return None
    resource = Resource.objects.filter(
        slug=slot.resource_slug, request_type_id=request_type.pk, is_active=True
    ).first()
    if resource is None:
        return None
    if overlaps_approved(resource.pk, slot.starts_at, slot.ends_at):
        raise _on_field(binding, slot_taken_message())
    return BookingAsked(resource, slot, binding)


def booking_request_asked(*, ticket: Ticket, asked: BookingAsked, actor: User | None) -> Booking:
    """Record the booking the ticket asks for (checked again: a slot taken since is refused)."""
    try:
        return booking_request(
            ticket=ticket,
            resource=asked.resource,
            starts_at=asked.slot.starts_at,
            ends_at=asked.slot.ends_at,
            actor=actor,
        )
    except SlotTaken as error:
        raise _on_field(asked.binding, *error.messages) from error


def _on_field(binding: Binding, *messages: str) -> ValidationError:
    """The error next to the field the person will change: the start time, or the first day."""
    return ValidationError({binding.start_time or binding.start_date: list(messages)})
