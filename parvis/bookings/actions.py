"""Every write on bookings: ask for a slot, approve it, refuse it, cancel it.

Each action runs in one transaction, re-reads the booking under a row lock and records an
``Event`` on its ticket (facts: ids and times; ``parvis.tickets.events`` renders them).
The rule that two approved bookings of a resource never overlap is the database's
(migration 0002, ADR 0025); ``booking_approve`` checks it first for a clear answer, and
turns the database's refusal — two approvals at the same moment — into the same sentence.
A workflow step approves a booking by calling ``booking_approve``, like an agent does.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import User
from parvis.bookings.data import default_resources
from parvis.bookings.models import Booking, BookingState, Resource
from parvis.catalog.models import RequestType, Service
from parvis.tickets.models import Event, Ticket
from parvis.tickets.outbox import events_record

# The name of the rule in the database, on both vendors (migration 0002).
OVERLAP_CONSTRAINT = "booking_no_overlap"


class SlotTaken(ValidationError):
    """The slot overlaps an approved booking of the resource."""


def slot_taken_message() -> str:
    return _("Ce créneau est déjà réservé : choisissez un autre horaire ou une autre date.")


def slot_just_taken_message() -> str:
    return _(
        "Ce créneau vient d'être réservé pour une autre demande : il n'est plus libre. "
        "Refusez cette réservation ou proposez un autre créneau à l'usager."
    )


def overlaps_approved(
    resource_id: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    *,
    excluding: int | None = None,
) -> bool:
    """Whether an approved booking of the resource overlaps ``[starts_at, ends_at)``."""
    taken = Booking.objects.filter(
        resource_id=resource_id,
        state=BookingState.APPROVED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if excluding is not None:
        taken = taken.exclude(pk=excluding)
    return taken.exists()


@transaction.atomic
def booking_request(
    *,
    ticket: Ticket,
    resource: Resource,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    actor: User | None,
) -> Booking:
    """Ask for a slot of the resource on the ticket; refused if an approved booking holds it.

    Requests may overlap one another: the service approves one of them. ``actor`` is None
    when the citizen asked.
    """
    if ends_at <= starts_at:
        raise ValidationError(_("La fin du créneau doit suivre son début."))
    if not resource.is_active:
        raise ValidationError(
            _("« %(name)s » ne peut plus être réservé.") % {"name": resource.name}
        )
    if overlaps_approved(resource.pk, starts_at, ends_at):
        raise SlotTaken(slot_taken_message())
    booking = Booking.objects.create(
        resource=resource, ticket=ticket, starts_at=starts_at, ends_at=ends_at
    )
    events_record([_event(booking, Event.Kind.BOOKING_REQUESTED, actor)])
    return booking


@transaction.atomic
def booking_approve(*, booking: Booking, actor: User) -> Booking:
    """Give the slot to this booking: from now on nobody else can have it."""
    locked = _locked(booking)
    if locked.state == BookingState.APPROVED:
        return locked
    if locked.state != BookingState.REQUESTED:
        raise ValidationError(_("Seule une réservation demandée peut être accordée."))
    if overlaps_approved(locked.resource_id, locked.starts_at, locked.ends_at, excluding=locked.pk):
        raise SlotTaken(slot_just_taken_message())
    try:
        with transaction.atomic():  # a savepoint: the database's refusal is read, not fatal
            _decide(locked, BookingState.APPROVED, actor)
    except IntegrityError as error:
        if OVERLAP_CONSTRAINT not in str(error):
            raise
        raise SlotTaken(slot_just_taken_message()) from error
    events_record([_event(locked, Event.Kind.BOOKING_APPROVED, actor)])
    return locked


@transaction.atomic
def booking_refuse(*, booking: Booking, actor: User) -> Booking:
    """Refuse the slot asked for (or withdraw an approval): it is free again for others."""
    locked = _locked(booking)
    if locked.state == BookingState.REFUSED:
        return locked
    if locked.state not in (BookingState.REQUESTED, BookingState.APPROVED):
        raise ValidationError(_("Une réservation annulée ne peut pas être refusée."))
    _decide(locked, BookingState.REFUSED, actor)
    events_record([_event(locked, Event.Kind.BOOKING_REFUSED, actor)])
    return locked


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: User | None) -> Booking:
    """Cancel the booking (the citizen gave up, or the event will not take place)."""
    locked = _locked(booking)
    if locked.state == BookingState.CANCELLED:
        return locked
    if locked.state == BookingState.REFUSED:
        raise ValidationError(_("Une réservation refusée ne peut pas être annulée."))
    _decide(locked, BookingState.CANCELLED, actor)
    events_record([_event(locked, Event.Kind.BOOKING_CANCELLED, actor)])
    return locked


def _locked(booking: Booking) -> Booking:
    """The booking as it is now in the database, locked until the transaction ends."""
    return Booking.objects.select_for_update().get(pk=booking.pk)


def _decide(booking: Booking, state: BookingState, actor: User | None) -> None:
    booking.state = state
    booking.decided_at = timezone.now()
    booking.decided_by = actor
    booking.save(update_fields=["state", "decided_at", "decided_by"])


def _event(booking: Booking, kind: str, actor: User | None) -> Event:
    return Event(
        ticket_id=booking.ticket_id,
        kind=kind,
        actor=actor,
        data={
            "booking_id": booking.pk,
            "resource_id": booking.resource_id,
            "starts_at": booking.starts_at.astimezone(datetime.UTC).isoformat(),
            "ends_at": booking.ends_at.astimezone(datetime.UTC).isoformat(),
        },
    )


@transaction.atomic
def resource_load_defaults() -> int:
    """Install the default rooms and equipment the database lacks; return how many.

    Matched by slug: a resource an administrator renamed, withdrew or moved is left as it
    is. A resource whose service or démarche the database lacks (deleted, or never
    installed) is skipped.
    """
    existing = set(Resource.objects.values_list("slug", flat=True))
    services = {s.slug: s for s in Service.objects.all()}
    request_types = {r.slug: r for r in RequestType.objects.all()}
    created = 0
    for position, definition in enumerate(default_resources()):
        service = services.get(definition.service)
        request_type = request_types.get(definition.request_type)
        if definition.slug in existing or service is None or request_type is None:
            continue
        Resource.objects.create(
            slug=definition.slug,
            name=definition.name,
            kind=definition.kind,
            service=service,
            request_type=request_type,
            capacity=definition.capacity,
            quantity=definition.quantity,
            description=definition.description,
            position=position,
        )
        created += 1
    return created
