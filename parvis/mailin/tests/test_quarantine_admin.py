"""The quarantine in the admin: read, retried once the cause is gone, or set aside; recorded."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.mailin.actions import mail_process, mail_receive
from parvis.mailin.models import InboundHandling, InboundMessage
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db

RAW = (
    b"From: Camille <camille@example.fr>\r\nTo: contact@ma-commune.fr\r\n"
    b"Subject: Banc cass\xc3\xa9\r\nMessage-ID: <q1@example.fr>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nLe banc du square est cass\xc3\xa9.\r\n"
)
LIST = reverse("admin:mailin_inboundmessage_changelist")


@pytest.fixture
def quarantined(catalog: None, monkeypatch: pytest.MonkeyPatch) -> InboundMessage:
    with monkeypatch.context() as patched:
        patched.setattr("parvis.mailin.actions.intake_submit", _broken)
        inbound = mail_process(mail_receive(raw=RAW, source=InboundMessage.Source.FILE)[0])
    assert inbound.state == InboundMessage.State.QUARANTINED
    return inbound


def _broken(**kwargs: Any) -> Any:
    raise RuntimeError("service de routage indisponible")


def test_an_administrator_reads_the_quarantined_message_and_its_error(
    admin_client: Any, quarantined: InboundMessage
) -> None:
    page = admin_client.get(reverse("admin:mailin_inboundmessage_change", args=[quarantined.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Banc cassé" in text and "Le banc du square est cassé." in text
    assert "service de routage indisponible" in text


def test_a_retry_processes_it_once_and_is_recorded(
    admin_client: Any, quarantined: InboundMessage
) -> None:
    response = admin_client.post(
        LIST, {"action": "retry", "_selected_action": [quarantined.pk]}, follow=True
    )
    assert "1 message traité." in response.content.decode()
    quarantined.refresh_from_db()
    assert quarantined.outcome == InboundMessage.Outcome.CREATED
    assert Ticket.objects.get().subject == "Banc cassé"
    handling = InboundHandling.objects.get(inbound=quarantined)
    assert handling.action == InboundHandling.Action.RETRY and handling.actor.is_superuser
    assert handling.outcome == InboundMessage.Outcome.CREATED
    admin_client.post(LIST, {"action": "retry", "_selected_action": [quarantined.pk]})
    assert Ticket.objects.count() == 1  # processed: a second retry does nothing
    assert InboundHandling.objects.count() == 1
    page = admin_client.get(reverse("admin:mailin_inboundmessage_change", args=[quarantined.pk]))
    assert "traitement réessayé" in page.content.decode()  # the interventions, listed


def test_a_discarded_message_stays_stored_and_cannot_be_deleted(
    admin_client: Any, quarantined: InboundMessage
) -> None:
    admin_client.post(LIST, {"action": "discard", "_selected_action": [quarantined.pk]})
    quarantined.refresh_from_db()
    assert quarantined.state == InboundMessage.State.DISCARDED
    assert InboundHandling.objects.get(inbound=quarantined).action == "discard"
    assert bytes(quarantined.raw) == RAW
    delete = reverse("admin:mailin_inboundmessage_delete", args=[quarantined.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert not Ticket.objects.exists()
