"""The one path from what a channel received to a ticket, whatever the channel.

A channel adapter (portal form, phone form, API, and later email, postal scan, Open311)
turns what arrived into an ``IncomingRequest`` and calls ``intake_submit``: validate the
démarche's fields → count it against its email address's limit (``throttling``) →
identify the requester → compare with the requester's open tickets (``routing.duplicates``:
the same matter is flagged on the new ticket) → route → create the ticket, its events and its
files, in one transaction.

The tracking number is drawn first, in a statement of its own (ADR 0001): the counter row is
locked for that statement only. A channel that runs the creation inside a transaction of its
own (an Idempotency-Key or a form's one-time token, ADR 0014) draws the number before that
transaction with ``next_reference`` and passes it in; otherwise every creation of the
commune would wait, on that row, for the end of the transaction before it.
"""

from django.db import transaction

from parvis.accounts.actions import requester_find_or_create
from parvis.accounts.models import User
from parvis.intake.throttling import email_submission_check
from parvis.routing.duplicates import same_matter
from parvis.tickets.actions import clean_field_values, ticket_create, ticket_flag_same_matter
from parvis.tickets.models import Ticket
from parvis.tickets.references import next_reference
from parvis.tickets.structures import IncomingRequest


def intake_submit(
    *,
    incoming: IncomingRequest,
    actor: User | None,
    reference: str | None = None,
    rate_limited: bool = True,
) -> Ticket:
    """Create a ticket from what a channel received; a French ValidationError if it is invalid.

    ``actor`` is the agent who typed it in (phone, counter, API), or None for the citizen;
    ``reference`` a number drawn beforehand (see the module's docstring), unused if it fails.
    Too many requests with one address: ``SubmissionThrottled`` (a ValidationError);
    ``rate_limited=False`` for what imports a history (the demo), which nobody sends.
    """
    field_values = incoming.field_values
    if incoming.request_type is not None:
        field_values = clean_field_values(incoming.request_type, field_values)
    if rate_limited:
        email_submission_check(incoming.requester.email, actor=actor)
    if reference is None:
        reference = next_reference()
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
        ticket = ticket_create(
            reference=reference,
            incoming=incoming,
            requester=requester,
            requester_created=requester_created,
            field_values=field_values,
            actor=actor,
        )
        if repeated is not None:
            ticket_flag_same_matter(
                ticket=ticket,
                other_id=repeated.ticket_id,
                other_reference=repeated.reference,
                score=repeated.score,
                certain=repeated.certain,
            )
        return ticket
