"""The lifecycle of a ticket: a small fixed set of states, and the one function that moves it.

Queues, deadlines (SLA) and Open311 rely on these five states only. Every change of status
goes through ``transition``: an agent's choice, a reply, a citizen's message, a job. It says
which moves are allowed, keeps ``resolved_at`` right and returns the ``status`` event; what
follows a change (telling the citizen, recomputing a deadline) is done by subscribers of
that event, never here. A démarche's configurable workflow (docs/decisions/0010) maps each
of its steps onto one of these states and narrows the allowed moves; it never adds states.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import User
from parvis.tickets.models import Event, Status, Ticket

ALLOWED: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.CLOSED}),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.RESOLVED, Status.CLOSED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}
FINISHED = frozenset({Status.RESOLVED, Status.CLOSED})


def can_move(source: str, target: str) -> bool:
    return target in ALLOWED.get(source, frozenset())


def transition(ticket: Ticket, target: Status, *, actor: User | None) -> Event | None:
    """Move the (locked) ticket to ``target``; the unsaved ``status`` event, or None if there.

    The caller saves the ticket's ``status`` and ``resolved_at`` and records the event.
    """
    source = ticket.status
    if source == target:
        return None
    if ticket.merged_into_id is not None:
        # Closed into another ticket, which goes on: a reopening would split the matter again.
        raise ValidationError(
            _("Cette demande a été fusionnée dans une autre : elle ne peut plus changer de statut.")
        )
    if not can_move(source, target):
        raise ValidationError(
            _("Une demande « %(from)s » ne peut pas passer « %(to)s ».")
            % {"from": Status(source).label, "to": Status(target).label}
        )
    ticket.status = target
    if target in FINISHED:
        ticket.resolved_at = ticket.resolved_at if source in FINISHED else timezone.now()
    else:
        ticket.resolved_at = None
    return Event(
        ticket=ticket, kind=Event.Kind.STATUS, actor=actor, data={"from": source, "to": target}
    )
