"""The lifecycle: five states, the moves allowed between them, one function that moves."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parvis.tickets import actions
from parvis.tickets.lifecycle import ALLOWED, can_move
from parvis.tickets.models import Event, Status

pytestmark = pytest.mark.django_db


def test_every_state_has_its_moves_and_none_leads_outside_the_five() -> None:
    assert set(ALLOWED) == set(Status.values)
    assert all(targets <= set(Status.values) for targets in ALLOWED.values())


def test_a_resolved_ticket_can_be_reopened_or_closed_but_not_made_new() -> None:
    assert can_move(Status.RESOLVED, Status.IN_PROGRESS)
    assert can_move(Status.RESOLVED, Status.CLOSED)
    assert not can_move(Status.RESOLVED, Status.NEW)
    assert not any(can_move(source, Status.NEW) for source in Status.values)


def test_a_forbidden_move_is_refused_in_french(make_ticket: Any, make_agent: Any) -> None:
    ticket = make_ticket("nid-de-poule")
    agent = make_agent("services-techniques")
    actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.WAITING)
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_resolved_at_is_set_once_and_cleared_on_reopening(
    make_ticket: Any, make_agent: Any
) -> None:
    ticket = make_ticket("nid-de-poule")
    agent = make_agent("services-techniques")
    actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    resolved_at = ticket.resolved_at
    assert resolved_at is not None
    actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
    assert ticket.resolved_at == resolved_at, "closing a resolved ticket keeps when it was solved"
    actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.IN_PROGRESS)
    ticket.refresh_from_db()
    assert ticket.resolved_at is None


def test_a_citizen_message_reopens_through_the_lifecycle(make_ticket: Any, make_agent: Any) -> None:
    ticket = make_ticket("nid-de-poule")
    agent = make_agent("services-techniques")
    actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    actions.ticket_add_citizen_message(ticket=ticket, body="Le trou est revenu.")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and ticket.resolved_at is None
    last = ticket.events.filter(kind=Event.Kind.STATUS).latest("pk")
    assert last.data == {"from": "resolved", "to": "in_progress"} and last.actor is None
