"""Writes of the sla app: a ticket's deadlines recomputed, escalations sent once."""

import datetime
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from parvis.accounts.selectors import system_actor
from parvis.sla.computation import deadline_compute, ticket_histories
from parvis.sla.models import Escalation, TicketDeadline
from parvis.tickets.models import OPEN_STATUSES, Event, Ticket
from parvis.tickets.outbox import events_record


# In the dispatcher's savepoint when a subscriber calls it (see notifications.actions);
# called alone, it is a transaction.
@transaction.atomic(savepoint=False)
def deadline_refresh(*, ticket: Ticket) -> TicketDeadline:
    """Recompute and store the ticket's deadlines (idempotent: from the whole history).

    The ticket row is locked first: an action changing it meanwhile has committed its events
    before this reads them, and two workers recomputing the same ticket take turns.
    """
    current = _LOCKED.get(pk=ticket.pk)
    deadline = deadline_compute(current)
    _store([deadline])
    return deadline


# In the dispatcher's savepoint (the ``sla_deadlines`` subscriber's batches).
@transaction.atomic(savepoint=False)
def deadlines_refresh(*, ticket_ids: Sequence[int]) -> list[TicketDeadline]:
    """``deadline_refresh`` of several tickets, each once, in three statements in all.

    The tickets are locked in one query, in the order of their ids (two workers locking
    some of the same tickets take turns instead of deadlocking); their status changes and
    replies are read in one query; the deadlines are stored in one upsert. A ticket deleted
    meanwhile is skipped.
    """
    tickets = list(_LOCKED.filter(pk__in=set(ticket_ids)).order_by("pk"))
    histories = ticket_histories([ticket.pk for ticket in tickets])
    deadlines = [
        deadline_compute(ticket, history=histories.get(ticket.pk, [])) for ticket in tickets
    ]
    _store(deadlines)
    return deadlines


# The ticket with the columns a computation reads, locked (no join: see tickets.actions).
_LOCKED = Ticket.objects.select_for_update().only(
    "service", "request_type", "status", "resolved_at", "created_at"
)


def _store(deadlines: list[TicketDeadline]) -> None:
    """One upsert (INSERT … ON CONFLICT DO UPDATE): no read, no savepoints; the tickets'
    locks already make two workers take turns."""
    if not deadlines:
        return
    fields = [f.name for f in TicketDeadline._meta.concrete_fields if f.name != "ticket"]
    TicketDeadline.objects.bulk_create(
        deadlines, update_conflicts=True, unique_fields=["ticket"], update_fields=fields
    )


_LEVEL_EVENT = {
    Escalation.Level.WARNING: Event.Kind.DEADLINE_WARNING,
    Escalation.Level.OVERDUE: Event.Kind.DEADLINE_OVERDUE,
}


def escalations_due(now: datetime.datetime) -> list[tuple[int, str]]:
    """(ticket id, level) of every escalation owed now and not yet sent, most late first."""
    owed: list[tuple[int, str]] = []
    open_deadlines = TicketDeadline.objects.filter(ticket__status__in=OPEN_STATUSES)
    for level, condition in (
        (Escalation.Level.OVERDUE, {"due_at__lte": now}),
        (Escalation.Level.WARNING, {"warn_at__lte": now, "due_at__gt": now}),
    ):
        sent = Escalation.objects.filter(
            ticket_id=OuterRef("ticket_id"), target=OuterRef("due_target"), level=level
        )
        ids = (
            open_deadlines.filter(~Exists(sent), **condition)
            .order_by("due_at")
            .values_list("ticket_id", flat=True)
        )
        owed += [(ticket_id, level) for ticket_id in ids]
    return owed


def escalations_send(*, now: datetime.datetime | None = None) -> int:
    """Send every escalation owed now, each in its own transaction; how many were sent.

    Each is one ``Escalation`` row and one event (``deadline_warning`` or
    ``deadline_overdue``, by the system actor) written together; the agents' notices are
    the event's subscriber. Several workers may run this at once: the ticket is locked and
    the row's unique constraint refuses a second one, so each goes exactly once.
    """
    now = now or timezone.now()
    actor = system_actor()
    sent = 0
    for ticket_id, level in escalations_due(now):
        sent += escalation_send(ticket_id=ticket_id, level=level, now=now, actor_id=actor.pk)
    return sent


@transaction.atomic
def escalation_send(*, ticket_id: int, level: str, now: datetime.datetime, actor_id: int) -> int:
    """Send one escalation if it is still owed (1), else nothing (0)."""
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    deadline = TicketDeadline.objects.filter(ticket_id=ticket_id).first()
    if ticket is None or deadline is None or deadline.due_at is None or not ticket.is_open:
        return 0
    still_owed = (
        deadline.due_at <= now
        if level == Escalation.Level.OVERDUE
        else deadline.warn_at is not None and deadline.warn_at <= now < deadline.due_at
    )
    if not still_owed:
        return 0
    try:
        with transaction.atomic():
            Escalation.objects.create(
                ticket=ticket, target=deadline.due_target, level=level, due_at=deadline.due_at
            )
    except IntegrityError:  # another worker sent it first
        return 0
    events_record(
        [
            Event(
                ticket=ticket,
                kind=_LEVEL_EVENT[Escalation.Level(level)],
                actor_id=actor_id,
                data={"target": deadline.due_target, "due_at": deadline.due_at.isoformat()},
            )
        ]
    )
    return 1


def deadlines_refresh_open() -> int:
    """Recompute the deadlines of every open ticket (after an edit of targets or calendars,
    or for tickets filed before Parvis had deadlines); how many. One transaction each."""
    count = 0
    ids = (
        Ticket.objects.filter(status__in=OPEN_STATUSES).order_by("pk").values_list("pk", flat=True)
    )
    for ticket_id in ids.iterator():
        deadline_refresh(ticket=Ticket(pk=ticket_id))
        count += 1
    return count
