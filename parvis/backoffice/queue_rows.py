"""The queue's table rows, written out in Python as the Django admin writes its change lists.

Rendering 50 tickets through the template engine — attribute chains, ``get_…_display``,
filters, one ``{% url %}`` and a dozen variables per row — took most of the queue page's
time (docs/benchmarks.md). Each row is now one ``format_html`` call: every value is escaped
there, and the template prints the rows.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from parvis.backoffice.templatetags.backoffice import follow_ups
from parvis.tickets.models import Priority, Status, Ticket

_STATUS_LABELS = {value: capfirst(str(label)) for value, label in Status.choices}
_PRIORITY_LABELS = {value: capfirst(str(label)) for value, label in Priority.choices}
_REFERENCE_SLOT = "0000-00000"  # stands for the reference in the ticket page's address

_ROW = (
    "<tr>"
    '<td><a class="reference" href="{url}">{reference}</a></td>'
    "<td>{subject}{confidential}</td>"
    "<td>{requester}</td>"
    "<td>{service}</td>"
    "<td>{request_type}</td>"
    '<td><span class="badge status-{status}">{status_label}</span></td>'
    '<td><span class="priority-{priority}">{priority_label}</span></td>'
    "<td>{assignee}</td>"
    "<td>{created_at}</td>"
    "<td>{follow_ups}</td>"
    "</tr>"
)
_CONFIDENTIAL_BADGE = mark_safe(
    ' <span class="badge badge-confidential" '
    'title="Confidentielle : chaque consultation est journalisée">Confidentielle</span>'
)


def queue_rows(tickets: Iterable[Ticket]) -> list[SafeString]:
    """One table row per ticket (the tickets come with service, requester, assignee, démarche)."""
    ticket_url = reverse("backoffice:ticket", args=[_REFERENCE_SLOT])
    return [
        format_html(
            _ROW,
            url=ticket_url.replace(_REFERENCE_SLOT, ticket.reference),
            reference=ticket.reference,
            subject=ticket.subject,
            confidential=_CONFIDENTIAL_BADGE if ticket.is_confidential else "",
            requester=ticket.requester_name,
            service=ticket.service.name,
            request_type=ticket.request_type.name if ticket.request_type else "—",
            status=ticket.status,
            status_label=_STATUS_LABELS.get(ticket.status, ticket.status),
            priority=ticket.priority,
            priority_label=_PRIORITY_LABELS.get(ticket.priority, str(ticket.priority)),
            assignee=str(ticket.assignee) if ticket.assignee else "—",
            created_at=timezone.localtime(ticket.created_at).strftime("%d/%m/%Y %H:%M"),
            follow_ups=follow_ups(ticket.follow_up_count),
        )
        for ticket in tickets
    ]
