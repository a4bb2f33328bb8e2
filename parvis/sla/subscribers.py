"""Deadlines kept up to date: a subscriber of the events that move them.

Reception starts the clocks, a status change may pause or resume them or finish the ticket,
the first reply meets the first-response target, a transfer changes the calendar and the
targets (the new service's). Each delivery recomputes from the whole history, so a late or
repeated delivery leaves the same result; so a batch of deliveries is one refresh of each
of their tickets (``deadlines_refresh``: three statements for the whole batch).
"""

from parvis.sla.actions import deadline_refresh, deadlines_refresh
from parvis.tickets.models import Event
from parvis.tickets.outbox import subscriber


def _refresh_many(events: list[Event]) -> None:
    deadlines_refresh(ticket_ids=[event.ticket_id for event in events])


@subscriber(
    "sla_deadlines",
    Event.Kind.CREATED,
    Event.Kind.STATUS,
    Event.Kind.REPLY,
    Event.Kind.TRANSFERRED,
    many=_refresh_many,
)
def sla_deadlines(event: Event) -> None:
    deadline_refresh(ticket=event.ticket)
