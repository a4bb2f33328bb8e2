"""GET /api/v1/tickets/<reference>/: a ticket with its messages and events, if visible."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from parvis.privacy.models import AccessLog
from parvis.tickets.actions import ticket_add_citizen_message, ticket_add_note, ticket_reply

pytestmark = pytest.mark.django_db


def url(reference: str) -> str:
    return reverse("api:ticket-detail", args=[reference])


def test_it_shows_a_ticket_with_public_and_internal_messages_and_events(
    token_client: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    client = token_client("etat-civil")
    ticket = make_ticket("acte-de-naissance", subject="Acte pour mariage")
    ticket_add_citizen_message(ticket=ticket, body="Il me le faut vite.")
    ticket_add_note(ticket=ticket, actor=client.agent, body="Vérifier le registre de 1990.")
    ticket_reply(ticket=ticket, actor=client.agent, body="Votre acte est prêt.")

    response = client.get(url(ticket.reference))

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == ticket.reference
    assert body["subject"] == "Acte pour mariage"
    assert body["requester"]["email"] == "camille@example.fr"
    assert body["fields"]["birth_date"]
    assert [m["kind"] for m in body["messages"]] == ["citizen", "note", "reply"]
    assert body["messages"][1] | {"is_public": False} == body["messages"][1]
    assert body["messages"][2]["author"] == str(client.agent)
    kinds = [e["kind"] for e in body["events"]]
    assert kinds[:2] == ["created", "routed"]
    assert {"citizen_message", "note", "reply"} <= set(kinds)
    assert body["status"] == "in_progress"
    assert body["tracking_url"].endswith(f"/suivi/{ticket.tracking_token}/")


def test_it_answers_404_for_a_ticket_of_another_service(
    token_client: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    social = make_ticket("demande-aide-sociale")

    response = token_client("etat-civil").get(url(social.reference))

    assert response.status_code == 404
    assert "Aucune demande de vos services" in response.json()["detail"]
    refused = AccessLog.objects.get()  # the attempt on a confidential ticket
    assert (refused.granted, list(refused.tickets.all())) == (False, [social])


def test_it_answers_404_for_an_unknown_reference(token_client: Callable[..., Any]) -> None:
    assert token_client("etat-civil").get(url("1999-99999")).status_code == 404


def test_it_logs_each_read_of_a_confidential_ticket(
    token_client: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    client = token_client("ccas")
    social = make_ticket("demande-aide-sociale")

    assert client.get(url(social.reference)).status_code == 200
    assert client.get(url(social.reference)).status_code == 200

    logs = AccessLog.objects.filter(tickets=social, user=client.agent)
    assert [log.context for log in logs] == ["api", "api"]


def test_it_does_not_log_reads_of_ordinary_tickets(
    token_client: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    ticket = make_ticket("acte-de-naissance")

    token_client("etat-civil").get(url(ticket.reference))

    assert not AccessLog.objects.exists()


def test_its_query_count_is_bounded(
    token_client: Callable[..., Any],
    make_ticket: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    client = token_client("etat-civil")
    ticket = make_ticket("acte-de-naissance")
    for n in range(5):
        ticket_add_note(ticket=ticket, actor=client.agent, body=f"Note {n}")
    client.get(url(ticket.reference))  # the process loads its catalogue copy once

    # Token and agent, services, ticket, events, attachments, the agents named in events.
    with django_assert_max_num_queries(6):
        assert client.get(url(ticket.reference)).status_code == 200
