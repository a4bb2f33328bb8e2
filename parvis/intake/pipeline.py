"""The one path from what a channel received to a ticket, whatever the channel.

A channel adapter (portal form, phone form, API, and later email, postal scan, Open311)
turns what arrived into an ``IncomingRequest`` and calls ``intake_submit``: validate the
démarche's fields → identify the requester → (duplicate detection, to come) → route →
create the ticket, its events and its files, in one transaction.

The tracking number is drawn first, in a statement of its own (ADR 0001): the counter row is
locked for that statement only. A channel that runs the creation inside a transaction of its
own (an Idempotency-Key or a form's one-time token, ADR 0014) draws the number before that
transaction with ``next_reference`` and passes it in; otherwise every creation of the
commune would wait, on that row, for the end of the transaction before it.
"""

from django.db import transaction

from parvis.accounts.actions import requester_find_or_create
from parvis.accounts.models import User
from parvis.tickets.actions import clean_field_values, ticket_create
from parvis.tickets.models import Ticket
from parvis.tickets.references import next_reference
from parvis.tickets.structures import IncomingRequest


def intake_submit(
    *, incoming: IncomingRequest, actor: User | None, reference: str | None = None
) -> Ticket:
    """Create a ticket from what a channel received; a French ValidationError if it is invalid.

    ``actor`` is the agent who typed it in (phone, counter, API), or None for the citizen;
    ``reference`` a number drawn beforehand (see the module's docstring), unused if it fails.
    """
    field_values = incoming.field_values
    if incoming.request_type is not None:
        field_values = clean_field_values(incoming.request_type, field_values)
    if reference is None:
        reference = next_reference()
    with transaction.atomic():
        requester, requester_created = requester_find_or_create(
            name=incoming.requester.name,
            email=incoming.requester.email,
            phone=incoming.requester.phone,
            is_association=incoming.requester.is_association,
        )
        return ticket_create(
            reference=reference,
            incoming=incoming,
            requester=requester,
            requester_created=requester_created,
            field_values=field_values,
            actor=actor,
        )
