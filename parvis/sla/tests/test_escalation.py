"""Escalation: a warning to the assignee before the due time, a notice to the head of
service once overdue, each once, through the agents' notices (time-machine)."""

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from parvis.accounts.models import Membership
from parvis.conftest import run_worker
from parvis.notifications.models import Mail, Template
from parvis.sla.actions import escalations_send
from parvis.sla.models import CalendarSettings, Escalation
from parvis.tickets import actions
from parvis.tickets.models import Event

PARIS = ZoneInfo("Europe/Paris")


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def people(make_agent: Callable[..., Any]) -> tuple[Any, Any]:
    agent = make_agent("etat-civil", username="chargee", email="chargee@mairie.test")
    head = make_agent("etat-civil", username="chef", email="chef@mairie.test")
    Membership.objects.filter(user=head).update(role=Membership.Role.MANAGER)
    return agent, head


@pytest.fixture
def ticket(make_ticket: Any, people: tuple[Any, Any]) -> Any:
    agent, _head = people
    # Acte de décès: first response within 4 working hours → Monday 2 March 13:30 + 1 h.
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        created = make_ticket("acte-de-deces")
        actions.ticket_assign(ticket=created, actor=agent, assignee=agent)
        run_worker()
    return created


def escalate(moment: datetime.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        sent = escalations_send()
        run_worker()
    return sent


def mails(template: str) -> list[Mail]:
    return list(Mail.objects.filter(template=template).order_by("pk"))


@pytest.fixture
def one_hour_lead(db: None) -> None:
    CalendarSettings.objects.update_or_create(pk=1, defaults={"warning_lead_hours": 1})


def test_the_warning_waits_for_its_lead_before_the_due_time(
    one_hour_lead: None, ticket: Any
) -> None:
    # Due 14:30, warned 1 working hour before: 13:30 (the lunch break is not working time).
    assert escalate(at(2026, 3, 2, 11, 59)) == 0
    assert escalate(at(2026, 3, 2, 13, 29)) == 0
    assert not Escalation.objects.exists()
    assert escalate(at(2026, 3, 2, 13, 30)) == 1
    assert Escalation.objects.get().level == Escalation.Level.WARNING


def test_the_assignee_is_warned_once_before_the_due_time(ticket: Any) -> None:
    # Due 14:30; warning lead 4 working hours: at 9:00 already (the whole target).
    assert escalate(at(2026, 3, 2, 10, 0)) == 1
    assert escalate(at(2026, 3, 2, 10, 1)) == 0
    [mail] = mails(Template.AGENT_DEADLINE_WARNING)
    assert mail.to == "chargee@mairie.test"
    assert ticket.reference in mail.subject
    assert "14:30" in mail.body
    event = Event.objects.get(ticket=ticket, kind=Event.Kind.DEADLINE_WARNING)
    assert event.actor is not None and event.actor.is_system
    assert event.data["target"] == "first_response"


def test_the_head_of_service_is_told_once_when_it_is_overdue(ticket: Any) -> None:
    assert escalate(at(2026, 3, 2, 15, 0)) == 1  # past due: the notice only
    assert escalate(at(2026, 3, 3, 9, 0)) == 0
    [mail] = mails(Template.AGENT_DEADLINE_OVERDUE)
    assert mail.to == "chef@mairie.test"
    assert "en retard" in mail.body
    assert not mails(Template.AGENT_DEADLINE_WARNING)


def test_a_ticket_answered_in_time_is_not_escalated_for_its_first_response(
    ticket: Any, people: tuple[Any, Any]
) -> None:
    agent, _head = people
    with time_machine.travel(at(2026, 3, 2, 11, 0), tick=False):
        actions.ticket_reply(ticket=ticket, actor=agent, body="C'est en cours.")
        run_worker()
    assert escalate(at(2026, 3, 2, 15, 0)) == 0
    assert not Escalation.objects.exists()


def test_a_ticket_waiting_for_the_citizen_is_not_escalated(
    ticket: Any, people: tuple[Any, Any]
) -> None:
    agent, _head = people
    with time_machine.travel(at(2026, 3, 2, 9, 10), tick=False):
        actions.ticket_reply(
            ticket=ticket, actor=agent, body="Une pièce manque.", wait_for_citizen=True
        )
        run_worker()
    assert escalate(at(2026, 3, 20, 9, 0)) == 0


def test_the_escalations_appear_in_the_ticket_history(ticket: Any) -> None:
    from parvis.tickets.events import Audience, describe, is_visible, names_for

    escalate(at(2026, 3, 2, 15, 0))
    event = Event.objects.get(ticket=ticket, kind=Event.Kind.DEADLINE_OVERDUE)
    text = describe(event, Audience.AGENT, names_for([event], Audience.AGENT))
    assert text.startswith("Délai de première réponse dépassé")
    assert "02/03/2026 14:30" in text
    assert not is_visible(event, Audience.CITIZEN)
