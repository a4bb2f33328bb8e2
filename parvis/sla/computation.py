"""A ticket's deadlines computed from the database: its calendar, targets and history.

Used by ``actions.deadline_refresh`` (which stores the result) and by the ticket page for a
ticket the subscriber has not reached yet (a ticket filed a moment ago: its due dates are
shown at once, computed the same way, not stored by a read).
"""

import datetime

from django.utils import timezone

from parvis.sla.deadlines import Clock, clock, legal_due, pauses_from, warning_moment
from parvis.sla.models import CalendarSettings, Target, TicketDeadline
from parvis.sla.selectors import (
    calendar_settings,
    commune_zone,
    deadline_of,
    targets_of,
    work_calendar,
)
from parvis.tickets.lifecycle import FINISHED
from parvis.tickets.models import OPEN_STATUSES, Event, Status, Ticket

# A ticket's events that move its deadlines, oldest first: (created_at, kind, data).
History = list[tuple[datetime.datetime, str, dict[str, object] | None]]
_HISTORY_KINDS = [Event.Kind.STATUS, Event.Kind.REPLY]


def ticket_histories(ticket_ids: list[int]) -> dict[int, History]:
    """The history ``deadline_compute`` reads, of several tickets in one query, by ticket."""
    histories: dict[int, History] = {}
    if not ticket_ids:
        return histories
    rows = (
        Event.objects.filter(ticket_id__in=ticket_ids, kind__in=_HISTORY_KINDS)
        .order_by("created_at", "pk")
        .values_list("ticket_id", "created_at", "kind", "data")
    )
    for ticket_id, at, kind, data in rows:
        histories.setdefault(ticket_id, []).append((at, kind, data))
    return histories


def deadline_compute(
    ticket: Ticket, *, settings: CalendarSettings | None = None, history: History | None = None
) -> TicketDeadline:
    """The ticket's deadlines from its history, unsaved: what ``deadline_refresh`` stores.

    Read: the calendar of its service as it is now, its démarche's (else its service's)
    targets, its status changes (pauses while waiting for the citizen) and its first reply
    (``history``, when the caller read it with others': ``ticket_histories``).
    The calendar and the targets come from the process's copies: of the ticket, only its
    own columns are read (``status``, ``resolved_at``, ``created_at`` and the two ids).
    """
    settings = settings or calendar_settings()
    calendar = work_calendar(ticket.service_id, settings=settings)
    targets = targets_of(ticket.service_id, ticket.request_type_id)
    transitions = []
    first_reply: datetime.datetime | None = None
    if history is None:
        history = list(
            Event.objects.filter(ticket_id=ticket.pk, kind__in=_HISTORY_KINDS)
            .order_by("created_at", "pk")
            .values_list("created_at", "kind", "data")
        )
    for at, kind, data in history:
        if kind == Event.Kind.STATUS:
            transitions.append((at, str((data or {}).get("from")), str((data or {}).get("to"))))
        elif first_reply is None:
            first_reply = at
    pauses = pauses_from(transitions, Status.WAITING)
    resolved_at = ticket.resolved_at if ticket.status in FINISHED else None
    response = clock(
        calendar,
        targets.first_response,
        start=ticket.created_at,
        pauses=pauses,
        met_at=first_reply or resolved_at,
    )
    resolution = clock(
        calendar, targets.resolution, start=ticket.created_at, pauses=pauses, met_at=resolved_at
    )
    deadline = TicketDeadline(
        ticket=ticket,
        first_response_due_at=_due_or_none(response),
        first_response_at=first_reply,
        resolution_due_at=_due_or_none(resolution),
        legal_deadline=targets.legal_deadline,
        legal_due_on=legal_due(targets.legal_deadline, ticket.created_at, commune_zone()),
        computed_at=timezone.now(),
    )
    # The next target due: the first response until it is given, then the resolution.
    for target, state in ((Target.FIRST_RESPONSE, response), (Target.RESOLUTION, resolution)):
        if state is None or state.met_at is not None or ticket.status not in OPEN_STATUSES:
            continue
        deadline.due_target = target
        if state.is_paused:
            deadline.paused_left = state.left
        else:
            deadline.due_at = state.due_at
            if state.due_at is not None and settings.warning_lead_hours:
                lead = datetime.timedelta(hours=settings.warning_lead_hours)
                deadline.warn_at = warning_moment(calendar, state.due_at, lead)
        break
    return deadline


def _due_or_none(state: Clock | None) -> datetime.datetime | None:
    return state.due_at if state is not None else None


def ticket_deadline(ticket: Ticket) -> TicketDeadline:
    """The ticket's deadlines to show on its page: as stored (read with the ticket by
    ``ticket_for_agent``), or computed now (unsaved) when
    the subscriber has not stored them yet — a ticket just filed shows its due dates at once.

    The caller has checked that the person may see the ticket (``ticket_for_agent``).
    """
    stored = deadline_of(ticket)
    return stored if stored is not None else deadline_compute(ticket)
