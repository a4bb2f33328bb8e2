"""An administrator puts a quarantined message on the ticket it belongs to: once, on an open
ticket they may open, recorded."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parvis.mailin.actions import inbound_attach, inbound_discard, mail_process, mail_receive
from parvis.mailin.models import InboundHandling, InboundMessage
from parvis.tickets.models import Event, Message, Status, Ticket

pytestmark = pytest.mark.django_db

BOUNDARY = "sep42"
RAW = (
    "From: Camille Martin <camille@example.fr>\r\nTo: contact@ma-commune.fr\r\n"
    "Subject: Photo du banc\r\nMessage-ID: <attach1@example.fr>\r\nMIME-Version: 1.0\r\n"
    f'Content-Type: multipart/mixed; boundary="{BOUNDARY}"\r\n\r\n'
    f"--{BOUNDARY}\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n\r\n"
    "Voici le constat signé.\r\n\r\n"
    "Le lun. 30 nov. 2026 à 10:12, Mairie <contact@ma-commune.fr> a écrit :\r\n"
    "> Votre demande est enregistrée.\r\n"
    f"\r\n--{BOUNDARY}\r\nContent-Type: application/pdf\r\n"
    'Content-Disposition: attachment; filename="constat.pdf"\r\n\r\n%PDF-1.4\r\n%test\r\n'
    f"\r\n--{BOUNDARY}\r\nContent-Type: application/octet-stream\r\n"
    'Content-Disposition: attachment; filename="outil.exe"\r\n\r\nMZ\x90\x00binary\r\n'
    f"--{BOUNDARY}--\r\n"
).encode()


@pytest.fixture
def quarantined(catalog: None, monkeypatch: pytest.MonkeyPatch) -> InboundMessage:
    with monkeypatch.context() as patched:
        patched.setattr("parvis.mailin.actions.intake_submit", _broken)
        inbound = mail_process(mail_receive(raw=RAW, source=InboundMessage.Source.FILE)[0])
    assert inbound.state == InboundMessage.State.QUARANTINED
    return inbound


def _broken(**kwargs: Any) -> Any:
    raise RuntimeError("service de routage indisponible")


@pytest.fixture
def administrator(catalog: None, make_agent: Any) -> Any:
    return make_agent("accueil", username="admin", is_superuser=True)


def test_the_cleaned_text_and_accepted_files_become_a_citizen_message(
    quarantined: InboundMessage, administrator: Any, pothole_ticket: Ticket
) -> None:
    after = inbound_attach(
        inbound=quarantined, reference=f" {pothole_ticket.reference} ", actor=administrator
    )

    message = Message.objects.get(ticket=pothole_ticket, kind=Message.Kind.CITIZEN)
    assert message.body == "Voici le constat signé."  # the quoted history is cut
    assert [a.original_name for a in message.attachments.all()] == ["constat.pdf"]
    assert (after.state, after.outcome) == (
        InboundMessage.State.PROCESSED,
        InboundMessage.Outcome.APPENDED,
    )
    assert (after.ticket, after.ticket_message, after.error) == (pothole_ticket, message, "")
    assert after.refused_files == ["outil.exe"]
    assert pothole_ticket.events.filter(kind=Event.Kind.CITIZEN_MESSAGE).count() == 1
    handling = InboundHandling.objects.get(inbound=quarantined)
    assert (handling.action, handling.actor, handling.ticket) == (
        InboundHandling.Action.ATTACH,
        administrator,
        pothole_ticket,
    )


@pytest.fixture
def pothole_ticket(make_ticket: Any) -> Ticket:
    return make_ticket("nid-de-poule", subject="Trou rue Victor Hugo")  # type: ignore[no-any-return]


def _refused(inbound: InboundMessage, reference: str, actor: Any) -> str:
    with pytest.raises(ValidationError) as raised:
        inbound_attach(inbound=inbound, reference=reference, actor=actor)
    inbound.refresh_from_db()
    assert inbound.state == InboundMessage.State.QUARANTINED
    assert not InboundHandling.objects.filter(action=InboundHandling.Action.ATTACH).exists()
    return " ".join(raised.value.messages)


def test_a_closed_ticket_takes_no_message(
    quarantined: InboundMessage, administrator: Any, pothole_ticket: Ticket
) -> None:
    Ticket.objects.filter(pk=pothole_ticket.pk).update(status=Status.CLOSED)

    error = _refused(quarantined, pothole_ticket.reference, administrator)

    assert f"La demande {pothole_ticket.reference} est clôturée" in error
    assert not Message.objects.filter(ticket=pothole_ticket, kind=Message.Kind.CITIZEN).exists()


def test_an_unknown_reference_is_refused(quarantined: InboundMessage, administrator: Any) -> None:
    error = _refused(quarantined, "2026-99999", administrator)
    assert error == "Aucune demande 2026-99999 parmi celles que vous pouvez ouvrir."


def test_a_confidential_ticket_of_another_service_is_as_unknown(
    quarantined: InboundMessage, administrator: Any, make_ticket: Any
) -> None:
    social = make_ticket("demande-aide-sociale", subject="Aide facture")
    assert social.is_confidential

    error = _refused(quarantined, social.reference, administrator)

    assert error == f"Aucune demande {social.reference} parmi celles que vous pouvez ouvrir."
    assert not social.messages.filter(kind=Message.Kind.CITIZEN).exists()


def test_a_message_already_processed_or_discarded_is_not_attached_again(
    quarantined: InboundMessage, administrator: Any, pothole_ticket: Ticket, make_ticket: Any
) -> None:
    inbound_attach(inbound=quarantined, reference=pothole_ticket.reference, actor=administrator)
    other = make_ticket("nid-de-poule", subject="Autre trou")

    with pytest.raises(ValidationError, match="n'est plus en quarantaine"):
        inbound_attach(inbound=quarantined, reference=other.reference, actor=administrator)

    assert Message.objects.filter(kind=Message.Kind.CITIZEN).count() == 1
    assert InboundHandling.objects.filter(action=InboundHandling.Action.ATTACH).count() == 1


def test_a_discarded_message_is_not_attached(
    quarantined: InboundMessage, administrator: Any, pothole_ticket: Ticket
) -> None:
    inbound_discard(quarantined, actor=administrator)

    with pytest.raises(ValidationError, match="n'est plus en quarantaine"):
        inbound_attach(inbound=quarantined, reference=pothole_ticket.reference, actor=administrator)
    assert quarantined.state == InboundMessage.State.DISCARDED
