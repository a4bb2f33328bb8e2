"""The page of a ticket an agent may not open: the same plain 404 for "no such ticket" and
"not yours", except for an agent who knew the ticket, told where it went
(tickets.selectors.ticket_refusal: its docstring gives the threat model)."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.catalog.models import Service
from parvis.tickets.actions import ticket_add_note, ticket_transfer
from parvis.tickets.models import Ticket

TRANSFERRED = "Cette demande a été transférée au service"


def _page(client: Any, ticket: Ticket) -> Any:
    return client.get(reverse("backoffice:ticket", args=[ticket.reference]))


def _transfer(ticket: Ticket, actor: Any, to: str) -> None:
    ticket_transfer(
        ticket=ticket, actor=actor, to_service=Service.objects.get(slug=to), reason="Pas chez nous"
    )


@pytest.fixture
def voirie_colleague(make_agent: Any) -> Any:
    return make_agent("services-techniques", username="vanessa")


def test_the_agent_who_transferred_it_is_told_where_it_went(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    _transfer(pothole, voirie_agent, "urbanisme")
    response = _page(login(voirie_agent), pothole)
    assert response.status_code == 404
    assert f"{TRANSFERRED} Urbanisme : vous n&#x27;y avez plus accès." in response.text
    assert 'href="/agents/"' in response.text
    assert pothole.subject not in response.text


def test_a_member_of_the_service_it_left_is_told_too(
    login: Any, voirie_agent: Any, voirie_colleague: Any, pothole: Ticket
) -> None:
    _transfer(pothole, voirie_agent, "urbanisme")
    assert f"{TRANSFERRED} Urbanisme" in _page(login(voirie_colleague), pothole).text


def test_an_agent_who_wrote_on_it_is_told_after_a_second_transfer(
    login: Any, voirie_agent: Any, etat_civil_agent: Any, pothole: Ticket, make_agent: Any
) -> None:
    _transfer(pothole, voirie_agent, "etat-civil")
    ticket_add_note(ticket=pothole, actor=etat_civil_agent, body="Vu, je transmets.")
    _transfer(pothole, etat_civil_agent, "urbanisme")
    assert f"{TRANSFERRED} Urbanisme" in _page(login(etat_civil_agent), pothole).text


def test_an_agent_who_never_knew_it_gets_the_plain_404(
    login: Any, voirie_agent: Any, etat_civil_agent: Any, pothole: Ticket
) -> None:
    _transfer(pothole, voirie_agent, "urbanisme")
    response = _page(login(etat_civil_agent), pothole)
    assert response.status_code == 404
    assert "transférée" not in response.text
    assert "Urbanisme" not in response.text.split("<main")[1]


def test_the_plain_404_is_the_same_for_a_ticket_that_does_not_exist(
    login: Any, etat_civil_agent: Any, pothole: Ticket
) -> None:
    client = login(etat_civil_agent)
    not_theirs = client.get(reverse("backoffice:ticket", args=[pothole.reference]))
    missing = client.get(reverse("backoffice:ticket", args=["2099-99999"]))
    assert not_theirs.status_code == missing.status_code == 404
    main = [response.text.split("<main")[1] for response in (not_theirs, missing)]
    assert main[0] == main[1]


def test_a_ticket_now_confidential_is_not_named(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    _transfer(pothole, voirie_agent, "ccas")
    Ticket.objects.filter(pk=pothole.pk).update(is_confidential=True)
    response = _page(login(voirie_agent), pothole)
    assert response.status_code == 404
    assert "Cette demande a été transférée à un autre service" in response.text
    assert "CCAS" not in response.text.split("<main")[1]
