"""GET /api/v1/tickets/: the tickets of the agent's services, filtered and paginated."""

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parvis.tickets.actions import ticket_change_status
from parvis.tickets.models import Status

URL = reverse("api:ticket-list")

pytestmark = pytest.mark.django_db


def references(response: Any) -> set[str]:
    return {ticket["reference"] for ticket in response.json()["results"]}


def test_it_lists_only_the_tickets_of_the_agents_services(
    token_client: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    birth = make_ticket("acte-de-naissance")
    make_ticket("demande-aide-sociale")
    make_ticket("nid-de-poule")

    response = token_client("etat-civil").get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert references(response) == {birth.reference}
    listed = response.json()["results"][0]
    assert listed["service"]["slug"] == "etat-civil"
    assert listed["url"].endswith(f"/api/v1/tickets/{birth.reference}/")
    assert "tracking_url" not in listed


def test_it_filters_by_status_and_service(
    token_client: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    client = token_client("etat-civil", "services-techniques")
    birth = make_ticket("acte-de-naissance")
    pothole = make_ticket("nid-de-poule")
    ticket_change_status(ticket=pothole, actor=client.agent, status=Status.RESOLVED)

    assert references(client.get(URL, {"status": "resolved"})) == {pothole.reference}
    assert references(client.get(URL, {"service": "etat-civil"})) == {birth.reference}
    assert references(client.get(URL, {"service": "etat-civil", "status": "resolved"})) == set()


def test_it_filters_by_update_time(
    token_client: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    client = token_client("etat-civil")
    with time_machine.travel("2026-03-01 10:00 +01:00", tick=False):
        make_ticket("acte-de-naissance")
    with time_machine.travel("2026-03-14 10:00 +01:00", tick=False):
        recent = make_ticket("acte-de-naissance")

    response = client.get(URL, {"updated_since": "2026-03-10T00:00:00+01:00"})
    # A client that forgot to encode "+" in the query string sends a space.
    unencoded = client.get(f"{URL}?updated_since=2026-03-10T00:00:00+01:00")

    assert references(response) == {recent.reference}
    assert references(unencoded) == {recent.reference}


@pytest.mark.parametrize(
    ("params", "key", "message"),
    [
        ({"status": "lost"}, "status", "lost\xa0» n'est pas un choix valide."),
        ({"service": "piscine"}, "service", "Service inconnu : « piscine »."),
        ({"updated_since": "hier"}, "updated_since", "Date non valide"),
    ],
    ids=["status", "service", "updated_since"],
)
def test_it_refuses_a_bad_filter_in_french(
    token_client: Callable[..., Any], params: dict[str, str], key: str, message: str
) -> None:
    response = token_client("etat-civil").get(URL, params)

    assert response.status_code == 400
    assert message in response.json()[key][0]


def test_it_paginates(token_client: Callable[..., Any], make_ticket: Callable[..., Any]) -> None:
    client = token_client("etat-civil")
    for _ in range(3):
        make_ticket("acte-de-naissance")

    first = client.get(URL, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert client.get(URL, {"page": 9}).status_code == 404


def test_its_query_count_does_not_grow_with_the_page(
    token_client: Callable[..., Any],
    make_ticket: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    client = token_client("etat-civil")
    agent = client.agent

    def queries_for_listing() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    make_ticket("acte-de-naissance", subject="Premier")
    small = queries_for_listing()
    for n in range(8):
        ticket = make_ticket("acte-de-mariage" if n % 2 else "acte-de-deces")
        ticket.assignee = agent
        ticket.save(update_fields=["assignee"])
    large = queries_for_listing()

    assert large == small
    with django_assert_max_num_queries(4):  # token, services, count, page
        client.get(URL)
