"""The daily digest: an agent who asked for it gets, once a day, their overdue and soon-due
tickets; nothing when nothing is due, nothing twice, nothing to who did not ask."""

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from parvis.conftest import run_worker, verified_login
from parvis.notifications.models import Mail, Template
from parvis.sla.digests import digest_subscribe, digests_send, is_subscribed
from parvis.tickets import actions

PARIS = ZoneInfo("Europe/Paris")


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def agent(make_agent: Callable[..., Any]) -> Any:
    return make_agent("etat-civil", username="chargee", email="chargee@mairie.test")


@pytest.fixture
def late(make_ticket: Any, agent: Any) -> Any:
    """A death certificate filed Monday 9:00 (first response due within 4 working hours)."""
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        ticket = make_ticket("acte-de-deces", subject="Acte de décès de M. Martin")
        actions.ticket_assign(ticket=ticket, actor=agent, assignee=agent)
        run_worker()
    return ticket


def digests(moment: datetime.datetime) -> list[Mail]:
    with time_machine.travel(moment, tick=False):
        digests_send()
    return list(Mail.objects.filter(template=Template.AGENT_DIGEST))


def test_a_subscribed_agent_gets_one_digest_a_day_with_their_late_tickets(
    late: Any, agent: Any
) -> None:
    digest_subscribe(user=agent, subscribed=True)

    (digest,) = digests(at(2026, 3, 3, 7, 30))
    assert digest.to == "chargee@mairie.test"
    assert late.reference in digest.body
    assert "Acte de décès de M. Martin" in digest.body
    assert "En retard" in digest.body

    assert len(digests(at(2026, 3, 3, 11, 0))) == 1  # the same day: nothing more
    assert len(digests(at(2026, 3, 4, 7, 30))) == 2  # the next day: again


def test_who_did_not_ask_or_has_nothing_due_gets_nothing(
    late: Any, agent: Any, make_agent: Callable[..., Any]
) -> None:
    idle = make_agent("etat-civil", username="libre", email="libre@mairie.test")
    digest_subscribe(user=idle, subscribed=True)

    assert digests(at(2026, 3, 3, 7, 30)) == []


def test_a_confidential_ticket_is_listed_by_its_reference_only(late: Any, agent: Any) -> None:
    type(late).objects.filter(pk=late.pk).update(is_confidential=True)
    digest_subscribe(user=agent, subscribed=True)

    (digest,) = digests(at(2026, 3, 3, 7, 30))
    assert late.reference in digest.body
    assert "M. Martin" not in digest.body


def test_the_agent_subscribes_and_stops_on_their_account_page(
    catalog: None, agent: Any, client: Any
) -> None:
    verified_login(client, agent)
    response = client.post(reverse("backoffice:daily_digest"), {"digest": "on"})
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert response["Location"] == reverse("backoffice:account"), response["Location"]
    assert is_subscribed(agent)
    assert 'id="digest" checked' in client.get(reverse("backoffice:account")).content.decode()

    client.post(reverse("backoffice:daily_digest"), {})
    assert not is_subscribed(agent)
