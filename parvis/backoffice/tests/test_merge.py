"""Merging a ticket into another from its page: confirmation first, visibility always."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.privacy.models import AccessLog
from parvis.tickets.models import Event, Status, Ticket
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(catalog: None, make_agent: Any) -> Any:
    return make_agent("services-techniques")


@pytest.fixture
def pair(make_ticket: Any) -> tuple[Ticket, Ticket]:
    target = make_ticket("nid-de-poule", subject="Trou rue des Lilas")
    source = make_ticket(
        "nid-de-poule",
        subject="Nid-de-poule rue des Lilas",
        requester=RequesterData("Jean Dupont", "jean@example.fr"),
    )
    return source, target


def _merge(client: Any, source: Ticket, target: str, **more: str) -> Any:
    url = reverse("backoffice:merge", args=[source.reference])
    return client.post(url, {"target": target, **more})


def test_the_first_click_shows_what_will_happen_and_changes_nothing(
    login: Any, agent: Any, pair: tuple[Ticket, Ticket]
) -> None:
    source, target = pair
    response = _merge(login(agent), source, target.reference)
    assert response.status_code == 200
    text = response.text
    assert f"Fusionner la demande {source.reference} dans la demande {target.reference}" in text
    assert "ne pourra plus être rouverte" in text and "est déplacé" in text
    assert 'name="confirm" value="on"' in text
    source.refresh_from_db()
    assert source.merged_into_id is None and source.status == Status.NEW


def test_confirming_merges_and_goes_to_the_ticket_that_goes_on(
    login: Any, agent: Any, pair: tuple[Ticket, Ticket]
) -> None:
    source, target = pair
    client = login(agent)
    response = _merge(client, source, target.reference, confirm="on")
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:ticket", args=[target.reference])
    source.refresh_from_db()
    assert source.merged_into == target and source.status == Status.CLOSED
    page = client.get(response["Location"]).text
    assert f"La demande {source.reference} y a été fusionnée" in page
    assert "Jean Dupont" in page, "the followers are listed"
    assert "aussi envoyée à la personne qui suit la demande" in page
    merged_page = client.get(reverse("backoffice:ticket", args=[source.reference])).text
    assert f"Fusionnée dans {target.reference}" in merged_page
    assert reverse("backoffice:merge", args=[source.reference]) not in merged_page


def test_a_ticket_the_agent_may_not_open_is_refused_as_unknown(
    login: Any, make_agent: Any, make_ticket: Any, pair: tuple[Ticket, Ticket]
) -> None:
    source, _target = pair
    civil = make_ticket("acte-de-naissance")
    both = make_agent("services-techniques")
    response = _merge(login(both), source, civil.reference, confirm="on")
    assert response.status_code == 200
    assert f"Aucune demande n° {civil.reference} que vous puissiez consulter." in response.text
    source.refresh_from_db()
    assert source.merged_into_id is None


def test_a_refused_merge_says_why_in_french(
    login: Any, agent: Any, pair: tuple[Ticket, Ticket]
) -> None:
    source, _target = pair
    response = _merge(login(agent), source, source.reference, confirm="on")
    assert "ne peut pas être fusionnée avec elle-même" in response.text
    assert not source.events.filter(kind=Event.Kind.MERGED_INTO).exists()


def test_reading_a_confidential_target_to_merge_into_is_logged(
    login: Any, make_agent: Any, make_ticket: Any
) -> None:
    ccas = make_agent("ccas")
    first = make_ticket("demande-aide-sociale", subject="Aide")
    second = make_ticket(
        "demande-aide-sociale",
        subject="Aide encore",
        requester=RequesterData("Jean Dupont", "jean@example.fr"),
    )
    assert first.is_confidential
    _merge(login(ccas), second, first.reference)
    assert AccessLog.objects.filter(user=ccas, tickets=first).exists()
