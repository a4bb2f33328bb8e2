"""The one path from what a channel received to a ticket, whatever the channel.

A channel adapter (portal form, phone form, API, and later email, postal scan, Open311)
turns what arrived into an ``IncomingRequest`` and calls ``intake_submit``: validate the
démarche's fields against its published form (whose version the ticket keeps, ADR 0027)
→ count it against its email address's limit (``throttling``) → identify the requester →
compare with the requester's open tickets (``routing.duplicates``) → for a public-space
report with a place, compare with the open reports of its démarche nearby
(``routing.nearby``: the nearest is flagged as a probable duplicate) → route → create the
ticket, its events and its files, and the booking its fields ask for
(``parvis.bookings.requests``: a slot already taken is refused on its field), in one
transaction. When the
comparison is certain, the request is no new ticket: it is added to the requester's open one
as a follow-up (relance), files included; when it is only probable, the new ticket says which
one it probably repeats. ``Submitted.outcome`` tells the channel which, so that it tells the
person the truth ("ajoutée à votre demande …", not "créée").

The tracking number is drawn first, in a statement of its own (ADR 0001): the counter row is
locked for that statement only. A channel that runs the creation inside a transaction of its
own (an Idempotency-Key or a form's one-time token, ADR 0014) draws the number before that
transaction with ``next_reference`` and passes it in; otherwise every creation of the
commune would wait, on that row, for the end of the transaction before it.
"""

import enum
from dataclasses import dataclass

from django.db import transaction

from parvis.accounts.actions import requester_find_or_create
from parvis.accounts.models import User
from parvis.bookings.requests import booking_asked, booking_request_asked
from parvis.catalog.selectors import use_published_form
from parvis.intake.throttling import email_submission_check
from parvis.routing import duplicates
from parvis.routing.duplicates import same_matter
from parvis.routing.nearby import NearbyReport, nearby_reports
from parvis.tickets.actions import (
    clean_field_values,
    ticket_append_request,
    ticket_create,
    ticket_flag_nearby_report,
    ticket_flag_same_matter,
)
from parvis.tickets.models import Message, Ticket
from parvis.tickets.references import next_reference
from parvis.tickets.structures import IncomingRequest
from parvis.workflows.actions import ticket_workflow_start


class Outcome(enum.StrEnum):
    """What became of a request: a new ticket, or a follow-up of the requester's open one."""

    CREATED = "created"
    APPENDED = "appended"


@dataclass(frozen=True)
class Submitted:
    """The ticket a request went to, and how: ``message`` is the follow-up when appended."""

    ticket: Ticket
    outcome: Outcome = Outcome.CREATED
    message: Message | None = None

    @property
    def appended(self) -> bool:
        return self.outcome == Outcome.APPENDED


def intake_submit(
    *,
    incoming: IncomingRequest,
    actor: User | None,
    reference: str | None = None,
    rate_limited: bool = True,
    append_repeats: bool = True,
) -> Submitted:
    """File what a channel received; a French ValidationError if it is invalid.

    ``actor`` is the agent who typed it in (phone, counter, API), or None for the citizen;
    ``reference`` a number drawn beforehand (see the module's docstring), unused if it fails
    or if the request is appended to an open ticket.
    Too many requests with one address: ``SubmissionThrottled`` (a ValidationError);
    ``rate_limited=False`` for what imports a history (the demo), which nobody sends;
    ``append_repeats=False`` too, for the same reason: each imported request stays a ticket
    (a certain repeat is flagged, as a probable one).
    """
    field_values = incoming.field_values
    asked = None
    form_version_id = None
    if incoming.request_type is not None:
        # Checked against, and filed under, the démarche's published form (ADR 0027).
        form_version_id = use_published_form(incoming.request_type)
        field_values = clean_field_values(incoming.request_type, field_values)
        asked = booking_asked(incoming.request_type, field_values)
    if rate_limited:
        email_submission_check(incoming.requester.email, actor=actor)
    if reference is None:
        reference = next_reference()
    duplicates.prepare()  # outside the transaction: its first call takes seconds
    # No savepoint of its own inside a caller's transaction (a mail's, a form token's): a
    # failure undoes the caller's whole transaction, as each of them wants.
    with transaction.atomic(savepoint=False):
        requester, requester_created = requester_find_or_create(
            name=incoming.requester.name,
            email=incoming.requester.email,
            phone=incoming.requester.phone,
            is_association=incoming.requester.is_association,
        )
        repeated = None
        if not requester_created:
            repeated = same_matter(
                requester_id=requester.pk,
                text=f"{incoming.subject}\n{incoming.description}",
                request_type_id=incoming.request_type.pk if incoming.request_type else None,
            )
        if repeated is not None and repeated.certain and append_repeats:
            message = ticket_append_request(
                ticket=Ticket.objects.get(pk=repeated.ticket_id),
                incoming=incoming,
                field_values=field_values,
                score=repeated.score,
                actor=actor,
            )
            return Submitted(message.ticket, Outcome.APPENDED, message)
        nearest = _nearest_report(incoming)
        ticket = ticket_create(
            reference=reference,
            incoming=incoming,
            requester=requester,
            requester_created=requester_created,
            field_values=field_values,
            form_version_id=form_version_id,
            actor=actor,
        )
        if asked is not None:
            booking_request_asked(ticket=ticket, asked=asked, actor=actor)
        # The first step of the démarche's workflow, in the creation's transaction (ADR 0026).
        ticket_workflow_start(ticket=ticket, actor=actor)
        if repeated is not None:
            ticket_flag_same_matter(
                ticket=ticket,
                other_id=repeated.ticket_id,
                other_reference=repeated.reference,
                score=repeated.score,
                certain=repeated.certain,
            )
        if nearest is not None:
            ticket_flag_nearby_report(
                ticket=ticket,
                other_id=nearest.ticket_id,
                other_reference=nearest.reference,
                distance_m=nearest.distance_m,
            )
        return Submitted(ticket)


def _nearest_report(incoming: IncomingRequest) -> NearbyReport | None:
    """The open report of the démarche nearest to this one's place, if it is a public-space
    report with coordinates (read before the new ticket exists: it cannot find itself)."""
    location = incoming.location
    request_type = incoming.request_type
    if request_type is None or not request_type.is_public_space_report:
        return None
    if location is None or location.lat is None or location.lon is None:
        return None
    found = nearby_reports(request_type=request_type, latitude=location.lat, longitude=location.lon)
    return found[0] if found else None
