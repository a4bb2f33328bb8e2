"""Notifications a person asks for (as opposed to those an action on a ticket queues itself)."""

from django.db import transaction

from parvis.notifications import tasks
from parvis.tickets.models import Ticket


def tracking_link_send(*, ticket: Ticket) -> None:
    """Email the requester the tracking link of their ticket, once the transaction commits."""
    ticket_id = ticket.pk
    transaction.on_commit(lambda: tasks.send_ticket_email(ticket_id, "tracking_link"))
