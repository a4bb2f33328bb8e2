"""When "Relancer" makes sense: the service silent for N working days since the citizen's word."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from parvis.tickets import actions
from parvis.tickets.follow_ups import follow_up_due, working_days_between
from parvis.tickets.models import Status, Ticket
from parvis.tickets.selectors import ticket_timeline

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


def _due(ticket: Ticket, days_later: int) -> bool:
    now = timezone.now() + datetime.timedelta(days=days_later)
    return follow_up_due(ticket, ticket_timeline(ticket, public_only=True), now=now)


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (MONDAY, 0),
        (MONDAY + datetime.timedelta(days=4), 4),  # Friday
        (MONDAY + datetime.timedelta(days=6), 4),  # the weekend does not count
        (MONDAY + datetime.timedelta(days=7), 5),  # next Monday
        (MONDAY + datetime.timedelta(days=21), 15),
        (MONDAY - datetime.timedelta(days=3), 0),
    ],
)
def test_working_days_are_monday_to_friday(end: datetime.date, expected: int) -> None:
    assert working_days_between(MONDAY, end) == expected


def test_not_just_after_filing_but_after_a_silent_week(make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule")
    assert not _due(ticket, 0)
    assert not _due(ticket, 2)
    assert _due(ticket, 8)  # at least five working days, whatever today is


def test_not_after_an_answer_until_the_citizen_writes_and_waits_again(
    make_ticket: Any, make_agent: Any
) -> None:
    ticket = make_ticket("nid-de-poule")
    agent = make_agent("services-techniques")
    actions.ticket_reply(ticket=ticket, actor=agent, body="Nous passons jeudi.")
    assert not _due(ticket, 20), "answered: nothing to follow up"
    actions.ticket_add_citizen_message(ticket=ticket, body="Personne n'est venu.")
    ticket.refresh_from_db()
    assert not _due(ticket, 1)
    assert _due(ticket, 10)


@pytest.mark.parametrize("status", [Status.WAITING, Status.RESOLVED, Status.CLOSED])
def test_never_on_a_request_out_of_the_services_hands(
    make_ticket: Any, make_agent: Any, status: Status
) -> None:
    ticket = make_ticket("nid-de-poule")
    actions.ticket_change_status(
        ticket=ticket, actor=make_agent("services-techniques"), status=status
    )
    ticket.refresh_from_db()
    assert not _due(ticket, 30)


def test_a_follow_up_starts_the_wait_again(make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule")
    later = timezone.now() + datetime.timedelta(days=10)
    actions.ticket_add_citizen_message(ticket=ticket, body="Alors ?", is_follow_up=True)
    events = ticket_timeline(ticket, public_only=True)
    assert not follow_up_due(ticket, events, now=later - datetime.timedelta(days=9))
    assert follow_up_due(ticket, events, now=later)
