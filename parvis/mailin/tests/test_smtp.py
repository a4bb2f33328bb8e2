"""A real SMTP and LMTP conversation with ``parvis mail serve``'s endpoint (smtplib)."""

import smtplib
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from parvis.mailin.models import InboundMessage
from parvis.mailin.smtp import InboundController
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = (
    b"From: Camille Martin <camille@example.fr>\r\nTo: contact@ma-commune.fr\r\n"
    b"Subject: =?utf-8?q?Lampadaire_=C3=A9teint?=\r\nMessage-ID: <smtp1@example.fr>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nRue des Lilas, depuis lundi.\r\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def endpoint(settings: Any, catalog: None, request: pytest.FixtureRequest) -> Iterator[Any]:
    settings.PARVIS_MAIL_DOMAINS = ["ma-commune.fr"]
    controller = InboundController(host="127.0.0.1", port=_free_port(), lmtp=request.param)
    controller.start()
    yield controller
    controller.stop()


@pytest.mark.parametrize("endpoint", [False], indirect=True, ids=["smtp"])
def test_a_mail_sent_by_smtp_is_stored_then_becomes_a_ticket(endpoint: Any) -> None:
    with smtplib.SMTP(endpoint.hostname, endpoint.port) as client:
        refused = client.sendmail("camille@example.fr", ["contact@ma-commune.fr"], MESSAGE)

    assert refused == {}
    inbound = InboundMessage.objects.get()
    assert bytes(inbound.raw) == MESSAGE  # stored byte for byte before the 250
    assert inbound.recipient == "contact@ma-commune.fr"
    assert inbound.outcome == InboundMessage.Outcome.CREATED  # by the worker (inline in tests)
    assert Ticket.objects.get().subject == "Lampadaire éteint"


@pytest.mark.parametrize("endpoint", [False], indirect=True, ids=["smtp"])
def test_mail_for_another_domain_is_refused_at_rcpt(endpoint: Any) -> None:
    with (
        smtplib.SMTP(endpoint.hostname, endpoint.port) as client,
        pytest.raises(smtplib.SMTPRecipientsRefused) as refused,
    ):
        client.sendmail("x@example.fr", ["victime@autre-domaine.fr"], MESSAGE)
    (code, _text) = refused.value.recipients["victime@autre-domaine.fr"]
    assert code == 550
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize("endpoint", [True], indirect=True, ids=["lmtp"])
def test_lmtp_delivery_is_stored_the_same_way(endpoint: Any) -> None:
    with smtplib.LMTP(endpoint.hostname, endpoint.port) as client:
        assert client.sendmail("camille@example.fr", ["etat-civil@ma-commune.fr"], MESSAGE) == {}
    assert InboundMessage.objects.get().source == InboundMessage.Source.SMTP


@pytest.mark.parametrize("endpoint", [False], indirect=True, ids=["smtp"])
def test_a_message_over_the_size_limit_is_refused_not_truncated(
    endpoint: Any, settings: Any
) -> None:
    big = MESSAGE + b"x" * (endpoint.SMTP_kwargs["data_size_limit"] + 10)
    with (
        smtplib.SMTP(endpoint.hostname, endpoint.port) as client,
        pytest.raises(smtplib.SMTPException),
    ):
        client.sendmail("camille@example.fr", ["contact@ma-commune.fr"], big)
    assert not InboundMessage.objects.exists()
