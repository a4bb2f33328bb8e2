"""Reads for the API, built on the tickets selectors so that visibility is never bypassed."""

import datetime

from django.db.models import QuerySet

from parvis.accounts.models import User
from parvis.tickets.models import Ticket
from parvis.tickets.selectors import tickets_visible_to


def api_ticket_list(
    user: User,
    *,
    status: str = "",
    service_slug: str = "",
    updated_since: datetime.datetime | None = None,
) -> QuerySet[Ticket]:
    """Tickets this agent may see, filtered, most recently updated first."""
    tickets = tickets_visible_to(user)
    if status:
        tickets = tickets.filter(status=status)
    if service_slug:
        tickets = tickets.filter(service__slug=service_slug)
    if updated_since is not None:
        tickets = tickets.filter(updated_at__gte=updated_since)
    return tickets.select_related("service", "request_type", "assignee").order_by(
        "-updated_at", "-pk"
    )
