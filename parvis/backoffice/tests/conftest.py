"""Fixtures of the back-office tests: agents of a few services and their logged-in clients."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from parvis.conftest import verified_login


@pytest.fixture
def login(client: Client) -> Callable[[Any], Client]:
    """login(user) → the test client, logged in as that user, second factor given."""

    def log_in(user: Any) -> Client:
        return verified_login(client, user)

    return log_in


@pytest.fixture
def etat_civil_agent(catalog: None, make_agent: Callable[..., Any]) -> Any:
    return make_agent("etat-civil", username="alice", first_name="Alice", last_name="Durand")


@pytest.fixture
def voirie_agent(catalog: None, make_agent: Callable[..., Any]) -> Any:
    return make_agent(
        "services-techniques", username="victor", first_name="Victor", last_name="Roux"
    )


@pytest.fixture
def ccas_agent(catalog: None, make_agent: Callable[..., Any]) -> Any:
    return make_agent("ccas", username="claire", first_name="Claire", last_name="Petit")


@pytest.fixture
def pothole(make_ticket: Callable[..., Any]) -> Any:
    """A ticket of the services techniques, acknowledged (its acknowledgement is not kept)."""
    from django.core import mail

    ticket = make_ticket("nid-de-poule", subject="Trou rue Victor Hugo")
    mail.outbox.clear()
    return ticket


@pytest.fixture
def birth_certificate(make_ticket: Callable[..., Any]) -> Any:
    """A ticket of the état civil."""
    return make_ticket("acte-de-naissance", subject="Copie intégrale pour mon fils")


@pytest.fixture
def social_aid(make_ticket: Callable[..., Any]) -> Any:
    """A confidential ticket of the CCAS."""
    return make_ticket("demande-aide-sociale", subject="Aide pour la facture d'électricité")


@pytest.fixture
def many_tickets(catalog: None) -> Callable[..., list[Any]]:
    """many_tickets(n, "services-techniques", **fields) → n tickets made in bulk (no events)."""
    from parvis.accounts.models import Requester
    from parvis.catalog.models import Service
    from parvis.tickets.models import Ticket

    counter = iter(range(50_000, 100_000))

    def make(count: int, service_slug: str, **fields: Any) -> list[Any]:
        service = Service.objects.get(slug=service_slug)
        requester, _created = Requester.objects.get_or_create(
            email="bulk@example.fr", defaults={"name": "Dominique Bulk"}
        )
        tickets = []
        for _ in range(count):
            number = next(counter)
            values = {
                "subject": f"Demande numéro {number}",
                "channel": "web",
                "requester_name": requester.name,
                "requester_email": requester.email,
                **fields,
            }
            tickets.append(
                Ticket(
                    reference=f"2026-{number}",
                    service=service,
                    requester=requester,
                    **values,
                )
            )
        return Ticket.objects.bulk_create(tickets)

    return make


def email_bytes(
    *,
    subject: str = "Banc cassé square Jean Moulin",
    body: str = "Bonjour,\nle banc du square est cassé.\nCamille",
    sender: str = "Camille Martin <camille@example.fr>",
    message_id: str = "<banc1@example.fr>",
    to: str = "contact@ma-commune.fr",
) -> bytes:
    """A citizen's plain-text mail, as a mail server hands it over."""
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n"
        "Date: Mon, 30 Nov 2026 10:12:00 +0100\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{body}\r\n"
    ).encode()


def ingest_email(raw: bytes) -> Any:
    """The message received and processed as the worker does."""
    from parvis.mailin.actions import mail_process, mail_receive
    from parvis.mailin.models import InboundMessage

    return mail_process(mail_receive(raw=raw, source=InboundMessage.Source.FILE)[0])


@pytest.fixture
def quarantine_email(catalog: None) -> Callable[..., Any]:
    """quarantine_email(raw) → a received message that failed (routing down) into quarantine."""
    from unittest import mock

    from parvis.mailin.models import InboundMessage

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("service de routage indisponible")

    def make(raw: bytes | None = None) -> Any:
        with mock.patch("parvis.mailin.actions.intake_submit", broken):
            inbound = ingest_email(raw or email_bytes())
        assert inbound.state == InboundMessage.State.QUARANTINED
        return inbound

    return make
