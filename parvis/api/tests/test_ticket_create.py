"""POST /api/v1/tickets/: an application files a request on behalf of a citizen."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from parvis.tickets.models import Channel, Event, Priority, Ticket

URL = reverse("api:ticket-list")

pytestmark = pytest.mark.django_db


def test_it_creates_a_ticket_for_a_demarche_and_validates_its_fields(
    token_client: Callable[..., Any], birth_payload: Callable[..., dict[str, Any]]
) -> None:
    client = token_client("accueil")

    response = client.post(URL, birth_payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    ticket = Ticket.objects.get(reference=body["reference"])
    assert body["status"] == "new"
    assert body["service"] == {"slug": "etat-civil", "name": "État civil"}
    assert body["request_type"]["slug"] == "acte-de-naissance"
    assert body["tracking_url"].endswith(f"/suivi/{ticket.tracking_token}/")
    assert response["Location"] == body["url"]
    assert ticket.channel == Channel.API
    # Values come back cleaned by the démarche's form: the number is a number, the date ISO.
    assert ticket.field_values["copies"] == 1
    assert ticket.field_values["birth_date"] == "1990-05-12"
    assert ticket.requester.email == "camille@example.fr"
    created = ticket.events.get(kind=Event.Kind.CREATED)
    assert created.actor == client.agent


def test_it_names_the_ticket_after_the_demarche_when_no_subject_is_given(
    token_client: Callable[..., Any], birth_payload: Callable[..., dict[str, Any]]
) -> None:
    response = token_client("accueil").post(URL, birth_payload(subject=""), format="json")

    assert response.status_code == 201
    assert response.json()["subject"] == "Demande d'acte de naissance"


def test_it_routes_a_ticket_without_demarche_by_keyword(token_client: Callable[..., Any]) -> None:
    payload = {
        "subject": "Nid de poule devant l'école",
        "description": "Un gros nid de poule rue Victor Hugo.",
        "requester": {"name": "Louis Bernard", "phone": "06 12 34 56 78"},
    }

    response = token_client("accueil").post(URL, payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["service"]["slug"] == "services-techniques"
    assert response.json()["request_type"] is None


def test_it_sends_a_ticket_nothing_matches_to_the_triage_queue(
    token_client: Callable[..., Any],
) -> None:
    payload = {"subject": "Question", "requester": {"name": "Louis", "email": "louis@example.fr"}}

    response = token_client("accueil").post(URL, payload, format="json")

    assert response.status_code == 201
    assert response.json()["service"]["slug"] == "accueil"


def test_it_accepts_an_internal_demarche(token_client: Callable[..., Any]) -> None:
    payload = {
        "request_type": "panne-informatique",
        "requester": {"name": "Agent Dupont", "email": "dupont@mairie.test"},
        "fields": {
            "equipment_type": "imprimante",
            "building_location": "Mairie, bureau 12",
            "urgency": "bloquante",
        },
    }

    response = token_client("accueil").post(URL, payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["service"]["slug"] == "informatique"


def test_it_stores_location_and_priority(token_client: Callable[..., Any]) -> None:
    payload = {
        "subject": "Lampadaire éteint",
        "requester": {"name": "Louis", "email": "louis@example.fr"},
        "location": {"lat": 48.8566, "lon": 2.3522, "address": "1 place de la Mairie"},
        "priority": "high",
    }

    response = token_client("accueil").post(URL, payload, format="json")

    assert response.status_code == 201, response.json()
    ticket = Ticket.objects.get(reference=response.json()["reference"])
    assert (ticket.location_lat, ticket.location_lon) == (48.8566, 2.3522)
    assert ticket.location_address == "1 place de la Mairie"
    assert ticket.priority == Priority.HIGH
    assert response.json()["priority"] == "high"


def test_it_takes_null_as_nothing(token_client: Callable[..., Any]) -> None:
    payload = {
        "request_type": None,
        "subject": "Lampadaire éteint",
        "description": None,
        "requester": {"name": "Louis", "email": None, "phone": "06 12 34 56 78"},
        "fields": None,
        "location": {"address": None, "lat": None, "lon": None},
    }

    response = token_client("accueil").post(URL, payload, format="json")

    assert response.status_code == 201, response.json()
    ticket = Ticket.objects.get(reference=response.json()["reference"])
    assert (ticket.description, ticket.requester.email, ticket.location_address) == ("", "", "")


def test_it_acknowledges_the_ticket_by_email(
    token_client: Callable[..., Any],
    birth_payload: Callable[..., dict[str, Any]],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client("accueil").post(URL, birth_payload(), format="json")

    assert response.status_code == 201
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["camille@example.fr"]
    assert response.json()["reference"] in mailoutbox[0].subject + mailoutbox[0].body


def test_a_creation_reads_the_catalogue_from_the_process_copy(
    token_client: Callable[..., Any],
    birth_payload: Callable[..., dict[str, Any]],
    django_assert_num_queries: Any,
) -> None:
    client = token_client("etat-civil")
    assert client.post(URL, birth_payload(), format="json").status_code == 201

    # Token; services; reference; requester (known); their open tickets (the same matter?);
    # ticket; events, and the flag that it probably repeats the first; their delivery to
    # the citizen's email: neither the démarche nor its fields, and no savepoint of the
    # pipeline's own inside the test's transaction.
    probable = birth_payload(
        description="Bonjour, il me faut un extrait avec filiation pour mon dossier de pacs."
    )
    with django_assert_num_queries(9) as captured:
        response = client.post(URL, probable, format="json")

    assert response.status_code == 201
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "catalog_" not in tables
    assert sum("accounts_membership" in q["sql"] for q in captured.captured_queries) == 1


def test_the_same_request_of_the_same_person_is_added_to_their_open_ticket(
    token_client: Callable[..., Any], birth_payload: Callable[..., dict[str, Any]]
) -> None:
    client = token_client("accueil")
    first = client.post(URL, birth_payload(), format="json")
    assert first.status_code == 201 and first.json()["outcome"] == "created"

    again = client.post(
        URL,
        birth_payload(description="Bonjour, il me faut une copie intégrale, svp."),
        format="json",
    )

    assert again.status_code == 200, again.json()
    body = again.json()
    assert body["outcome"] == "appended"
    assert body["reference"] == first.json()["reference"]
    assert again["Location"] == body["url"]
    ticket = Ticket.objects.get()
    follow_up = ticket.events.get(kind=Event.Kind.FOLLOW_UP)
    assert follow_up.data["channel"] == "api" and follow_up.actor == client.agent
    assert "copie intégrale, svp." in follow_up.message.body
