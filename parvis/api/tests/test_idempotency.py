"""Idempotency-Key on the API's creations: a retry creates nothing and gets the first answer."""

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parvis.intake.models import IdempotencyKey
from parvis.tickets.models import Message, Ticket

URL = reverse("api:ticket-list")
KEY = '"8e03978e-40d5-43e8-bc93-6894a57f9324"'

# Another person: the same request twice from one person is one ticket (a follow-up).
PAUL = {"name": "Paul Girard", "email": "paul@example.fr", "phone": ""}

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(token_client: Callable[..., Any]) -> Any:
    return token_client("accueil", "etat-civil")


def _post(client: Any, url: str, body: dict[str, Any], key: str | None = KEY) -> Any:
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(url, body, format="json", headers=headers)


def test_a_retry_with_the_same_key_and_body_creates_nothing_and_gets_the_first_response(
    client: Any,
    birth_payload: Callable[..., dict[str, Any]],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, URL, birth_payload())
    with django_capture_on_commit_callbacks(execute=True):
        retry = _post(client, URL, birth_payload())

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Location"] == first["Location"] == first.json()["url"]
    assert Ticket.objects.count() == 1
    assert len(mailoutbox) == 1  # one acknowledgement


def test_the_same_body_written_otherwise_is_the_same_request(
    client: Any, birth_payload: Callable[..., dict[str, Any]]
) -> None:
    payload = birth_payload()
    reordered = dict(reversed(list(payload.items())))

    first = _post(client, URL, payload, key=KEY)
    retry = _post(client, URL, reordered, key=KEY.strip('"'))  # a bare key is the same key

    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert Ticket.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_with_a_422(
    client: Any, birth_payload: Callable[..., dict[str, Any]]
) -> None:
    _post(client, URL, birth_payload())

    response = _post(client, URL, birth_payload(subject="Une autre demande", requester=PAUL))

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Cette clé Idempotency-Key a déjà servi pour une autre requête (autre corps "
        "ou autre adresse) : choisissez une nouvelle clé pour une nouvelle opération."
    }
    assert Ticket.objects.count() == 1


def test_the_same_key_on_another_endpoint_is_refused_with_a_422(
    client: Any, birth_payload: Callable[..., dict[str, Any]]
) -> None:
    reference = _post(client, URL, birth_payload()).json()["reference"]

    response = _post(client, reverse("api:ticket-notes", args=[reference]), {"body": "Vu."})

    assert response.status_code == 422
    assert not Message.objects.exists()


def test_keys_are_each_agents_own(
    token_client: Callable[..., Any], birth_payload: Callable[..., dict[str, Any]]
) -> None:
    first = _post(token_client("accueil"), URL, birth_payload())
    other = _post(token_client("accueil"), URL, birth_payload(requester=PAUL))

    assert first.status_code == other.status_code == 201
    assert first.json()["reference"] != other.json()["reference"]


def test_without_the_header_each_request_creates(
    client: Any, birth_payload: Callable[..., dict[str, Any]]
) -> None:
    _post(client, URL, birth_payload(), key=None)
    _post(client, URL, birth_payload(requester=PAUL), key=None)

    assert Ticket.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_a_refused_request_leaves_its_key_unused(
    client: Any, birth_payload: Callable[..., dict[str, Any]]
) -> None:
    invalid = birth_payload()
    invalid["fields"]["birth_date"] = "le 12 mai"

    assert _post(client, URL, invalid).status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert _post(client, URL, birth_payload()).status_code == 201


@pytest.mark.parametrize("key", ['""', "x" * 256, "clé-accentuée", '"a\tb"'])
def test_an_invalid_key_is_a_400(
    client: Any, birth_payload: Callable[..., dict[str, Any]], key: str
) -> None:
    response = client.post(URL, birth_payload(), format="json", headers={"Idempotency-Key": key})

    assert response.status_code == 400
    assert response.json()["Idempotency-Key"][0].startswith("En-tête Idempotency-Key non valide")
    assert not Ticket.objects.exists()


def test_a_retried_reply_is_sent_once(
    client: Any,
    make_ticket: Callable[..., Any],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ticket = make_ticket("acte-de-naissance")
    mailoutbox.clear()  # its acknowledgement
    url = reverse("api:ticket-reply", args=[ticket.reference])
    body = {"body": "Votre acte vous attend à l'accueil."}

    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, url, body)
    with django_capture_on_commit_callbacks(execute=True):
        retry = _post(client, url, body)
    other = _post(client, url, {"body": "Autre chose."})

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert other.status_code == 422
    assert Message.objects.filter(kind=Message.Kind.REPLY).count() == 1
    assert len(mailoutbox) == 1


def test_a_retried_note_is_added_once(client: Any, make_ticket: Callable[..., Any]) -> None:
    ticket = make_ticket("acte-de-naissance")
    url = reverse("api:ticket-notes", args=[ticket.reference])

    first = _post(client, url, {"body": "Appeler le demandeur."})
    retry = _post(client, url, {"body": "Appeler le demandeur."})
    other = _post(client, url, {"body": "Autre note."})

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert other.status_code == 422
    assert Message.objects.filter(kind=Message.Kind.NOTE).count() == 1


def test_an_expired_key_serves_again(
    client: Any, birth_payload: Callable[..., dict[str, Any]], settings: Any
) -> None:
    settings.PARVIS_IDEMPOTENCY_KEY_HOURS = 24
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=25)):
        _post(client, URL, birth_payload())

    response = _post(client, URL, birth_payload(subject="Une autre demande", requester=PAUL))

    assert response.status_code == 201
    assert Ticket.objects.count() == 2
    assert IdempotencyKey.objects.get().response_body["reference"] == response.json()["reference"]


def test_the_purge_deletes_the_expired_keys_only(
    client: Any, birth_payload: Callable[..., dict[str, Any]], settings: Any
) -> None:
    settings.PARVIS_IDEMPOTENCY_KEY_HOURS = 24
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=25)):
        _post(client, URL, birth_payload(), key="ancienne")
    _post(client, URL, birth_payload(), key="recente")
    output = StringIO()

    call_command("purge-idempotency-keys", stdout=output)

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recente"]
    assert "1 clé d'idempotence expirée supprimée." in output.getvalue()


def test_the_schema_documents_the_header_and_its_answers() -> None:
    schema = Client().get(reverse("api:schema"), {"format": "json"}).json()

    for path in (
        "/api/v1/tickets/",
        "/api/v1/tickets/{reference}/reply/",
        "/api/v1/tickets/{reference}/notes/",
    ):
        operation = schema["paths"][path]["post"]
        (header,) = [p for p in operation["parameters"] if p["in"] == "header"]
        assert header["name"] == "Idempotency-Key"
        assert not header.get("required", False)
        assert "24 heures" in header["description"]
        assert {"409", "422"} <= set(operation["responses"])
