"""POST /api/v1/tickets/<reference>/reply/ and /notes/: answer the citizen, note for colleagues."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from parvis.tickets.models import Message, Status

pytestmark = pytest.mark.django_db


def test_a_reply_is_emailed_to_the_citizen(
    token_client: Callable[..., Any],
    make_ticket: Callable[..., Any],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = token_client("etat-civil")
    ticket = make_ticket("acte-de-naissance")
    mailoutbox.clear()  # its acknowledgement

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:ticket-reply", args=[ticket.reference]),
            {"body": "Votre acte vous attend à l'accueil."},
            format="json",
        )

    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "reply"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["camille@example.fr"]
    assert "Votre acte vous attend à l'accueil." in mailoutbox[0].body
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.assignee == client.agent


def test_a_reply_can_wait_for_the_citizen(
    token_client: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    ticket = make_ticket("acte-de-naissance")

    response = token_client("etat-civil").post(
        reverse("api:ticket-reply", args=[ticket.reference]),
        {"body": "Merci d'envoyer un justificatif.", "wait_for_citizen": True},
        format="json",
    )

    assert response.status_code == 201
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING


def test_a_reply_needs_a_body(
    token_client: Callable[..., Any], make_ticket: Callable[..., Any]
) -> None:
    ticket = make_ticket("acte-de-naissance")

    response = token_client("etat-civil").post(
        reverse("api:ticket-reply", args=[ticket.reference]), {"body": "  "}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["body"] == ["Ce champ ne peut être vide."]
    assert not Message.objects.exists()


def test_nobody_replies_to_a_ticket_of_another_service(
    token_client: Callable[..., Any],
    make_ticket: Callable[..., Any],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    social = make_ticket("demande-aide-sociale")
    mailoutbox.clear()  # its acknowledgement

    with django_capture_on_commit_callbacks(execute=True):
        response = token_client("etat-civil").post(
            reverse("api:ticket-reply", args=[social.reference]), {"body": "Bonjour"}, format="json"
        )

    assert response.status_code == 404
    assert not Message.objects.exists()
    assert mailoutbox == []


def test_a_note_stays_internal(
    token_client: Callable[..., Any],
    make_ticket: Callable[..., Any],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ticket = make_ticket("acte-de-naissance")
    mailoutbox.clear()  # its acknowledgement

    with django_capture_on_commit_callbacks(execute=True):
        response = token_client("etat-civil").post(
            reverse("api:ticket-notes", args=[ticket.reference]),
            {"body": "Registre 1990 aux archives."},
            format="json",
        )

    assert response.status_code == 201
    assert response.json()["kind"] == "note"
    assert response.json()["is_public"] is False
    assert mailoutbox == []
