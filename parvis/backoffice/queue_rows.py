"""The queue's table rows, written out in Python as the Django admin writes its change lists.

Rendering 50 tickets through the template engine — attribute chains, ``get_…_display``,
filters, one ``{% url %}`` and a dozen variables per row — took most of the queue page's
time (docs/benchmarks.md). Each row is now one ``format_html`` call: every value is escaped
there, and the template prints the rows.
"""

import datetime
from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from parvis.backoffice.templatetags.backoffice import follow_ups
from parvis.sla.selectors import deadline_of, due_state, due_state_labels
from parvis.tickets.models import Priority, Status, Ticket

_REFERENCE_SLOT = "0000-00000"  # stands for the reference in the ticket page's address
# Django date-format characters that strftime writes alike: a format made only of these (and
# punctuation) is written by strftime, eight times faster than Django's dateformat per row.
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}

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
    "<td>{due}</td>"
    "<td>{follow_ups}</td>"
    "</tr>"
)
_DUE = '<time datetime="{iso}">{when}</time>{badge}'
_DUE_BADGE = ' <span class="badge due-{state}">{label}</span>'
_CONFIDENTIAL_BADGE = ' <span class="badge badge-confidential" title="{title}">{text}</span>'


def queue_rows(tickets: Iterable[Ticket]) -> list[SafeString]:
    """One table row per ticket (the tickets come with service, requester, assignee, démarche).

    The labels and the date format are looked up once per call, in the active language.
    """
    ticket_url = reverse("backoffice:ticket", args=[_REFERENCE_SLOT])
    status_labels = {value: capfirst(str(label)) for value, label in Status.choices}
    priority_labels = {value: capfirst(str(label)) for value, label in Priority.choices}
    confidential = format_html(
        _CONFIDENTIAL_BADGE,
        title=_("Confidentielle : chaque consultation est journalisée"),
        text=_("Confidentielle"),
    )
    write_date = _date_writer(get_format("SHORT_DATETIME_FORMAT"))
    now = timezone.now()
    due_badges = {
        state: format_html(_DUE_BADGE, state=state, label=label)
        for state, label in due_state_labels().items()
    }
    return [
        format_html(
            _ROW,
            url=ticket_url.replace(_REFERENCE_SLOT, ticket.reference),
            reference=ticket.reference,
            subject=ticket.subject,
            confidential=confidential if ticket.is_confidential else "",
            requester=ticket.requester_name,
            service=ticket.service.name,
            request_type=ticket.request_type.name if ticket.request_type else "—",
            status=ticket.status,
            status_label=status_labels.get(ticket.status, ticket.status),
            priority=ticket.priority,
            priority_label=priority_labels.get(ticket.priority, str(ticket.priority)),
            assignee=str(ticket.assignee) if ticket.assignee else "—",
            created_at=write_date(timezone.localtime(ticket.created_at)),
            due=_due_cell(ticket, now, write_date, due_badges),
            follow_ups=follow_ups(ticket.follow_up_count),
        )
        for ticket in tickets
    ]


def _due_cell(
    ticket: Ticket,
    now: datetime.datetime,
    write_date: Callable[[datetime.datetime], str],
    badges: dict[str, SafeString],
) -> SafeString | str:
    """The next due time and its state ("bientôt due", "en retard"), or "en pause", or —."""
    deadline = deadline_of(ticket)
    state = due_state(deadline, now)
    if deadline is None or deadline.due_at is None:
        return badges.get(state, "—") if state else "—"
    return format_html(
        _DUE,
        iso=deadline.due_at.isoformat(),
        when=write_date(timezone.localtime(deadline.due_at)),
        badge=badges.get(state, ""),
    )


def _date_writer(django_format: str) -> Callable[[datetime.datetime], str]:
    """A function writing a moment in this (language's) Django date format."""
    if all(char in _STRFTIME or not (char.isalpha() or char in "\\%") for char in django_format):
        strftime_format = "".join(_STRFTIME.get(char, char) for char in django_format)
        return lambda moment: moment.strftime(strftime_format)
    return lambda moment: date_format(moment, django_format)
