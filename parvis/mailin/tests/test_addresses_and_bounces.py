"""Each of the mairie's addresses sends its new mail to its service; bounces reach the agent."""

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parvis.catalog.models import RequestType, Service
from parvis.mailin.actions import mail_process, mail_receive
from parvis.mailin.models import InboundMessage, Mailbox
from parvis.notifications.models import Mail
from parvis.routing.decide import RoutingReason
from parvis.tickets.events import Audience, describe, names_for
from parvis.tickets.models import Event, Ticket
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus"
CAMILLE = RequesterData("Camille Martin", "camille@example.fr")


def message(*, to: str, message_id: str, subject: str = "Une question", body: str = "") -> bytes:
    return (
        f"From: Camille Martin <camille@example.fr>\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Message-ID: {message_id}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body or 'Bonjour, pouvez-vous me renseigner ? Merci.'}\r\n"
    ).encode()


def ingest(raw: bytes, recipient: str = "") -> InboundMessage:
    inbound, _new = mail_receive(raw=raw, source=InboundMessage.Source.SMTP, recipient=recipient)
    return mail_process(inbound)


def test_a_new_mail_goes_to_the_service_of_the_address_it_was_written_to(catalog: None) -> None:
    etat_civil = Service.objects.get(slug="etat-civil")
    Mailbox.objects.create(address="etat-civil@ma-commune.fr", service=etat_civil)

    inbound = ingest(message(to="Etat-Civil@ma-commune.fr", message_id="<a1@x>"))

    ticket = inbound.ticket
    assert inbound.mailbox.address == "etat-civil@ma-commune.fr"
    assert ticket.service == etat_civil and ticket.request_type is None
    routed = ticket.events.get(kind=Event.Kind.ROUTED)
    assert routed.data == {
        "service_id": etat_civil.pk,
        "reason": RoutingReason.MAILBOX,
        "mailbox": "etat-civil@ma-commune.fr",
    }
    sentence = describe(routed, Audience.AGENT, names_for([routed], Audience.AGENT))
    assert "écrite à l'adresse etat-civil@ma-commune.fr" in sentence


def test_the_envelope_recipient_decides_over_the_headers(catalog: None) -> None:
    """A mail copied to several of the mairie's addresses: the one it was delivered to."""
    Mailbox.objects.create(address="contact@ma-commune.fr")
    urbanisme = Service.objects.get(slug="urbanisme")
    Mailbox.objects.create(address="urbanisme@ma-commune.fr", service=urbanisme)

    inbound = ingest(
        message(to="contact@ma-commune.fr", message_id="<a2@x>"),
        recipient="urbanisme@ma-commune.fr",
    )
    assert inbound.ticket.service == urbanisme


def test_an_address_without_service_routes_by_the_text(catalog: None) -> None:
    Mailbox.objects.create(address="contact@ma-commune.fr")
    inbound = ingest(message(to="contact@ma-commune.fr", message_id="<a3@x>"))
    routed = inbound.ticket.events.get(kind=Event.Kind.ROUTED)
    assert routed.data["reason"] != RoutingReason.MAILBOX
    assert inbound.mailbox.address == "contact@ma-commune.fr"


def test_an_address_with_a_demarche_files_the_mail_under_it(catalog: None) -> None:
    loan = RequestType.objects.get(slug="question-generale")
    assert not loan.fields.filter(required=True).exists()
    Mailbox.objects.create(address="questions@ma-commune.fr", request_type=loan)
    inbound = ingest(message(to="questions@ma-commune.fr", message_id="<a4@x>"))
    assert inbound.ticket.request_type == loan and inbound.ticket.service == loan.service


def test_an_address_refuses_a_demarche_with_required_fields(catalog: None) -> None:
    birth = RequestType.objects.get(slug="acte-de-naissance")
    mailbox = Mailbox(address="actes@ma-commune.fr", request_type=birth)
    with pytest.raises(ValidationError) as refused:
        mailbox.full_clean()
    assert "champs obligatoires" in str(refused.value.message_dict["request_type"])


def test_imap_settings_need_a_password_variable(catalog: None) -> None:
    mailbox = Mailbox(address="contact@ma-commune.fr", imap_host="imap.ma-commune.fr")
    with pytest.raises(ValidationError) as refused:
        mailbox.full_clean()
    assert "variable de son mot de passe" in str(refused.value.message_dict["imap_user"])


def _bounce_for(ticket: Ticket, our_id: str) -> bytes:
    raw = (CORPUS / "bounce-rfc3464-postfix-user-unknown.eml").read_bytes()
    for placeholder, value in {
        "{{OUR_MESSAGE_ID}}": our_id,
        "{{REQUESTER_EMAIL}}": ticket.requester_email,
        "{{REFERENCE}}": ticket.reference,
        "{{REPLY_ADDRESS}}": "contact@ma-commune.fr",
    }.items():
        raw = raw.replace(placeholder.encode(), value.encode())
    return raw


def test_a_bounce_finds_its_ticket_by_the_mail_it_returns(make_ticket: Any) -> None:
    """Two tickets of one requester: the report names the mail, so the right ticket is told."""
    older = make_ticket("nid-de-poule", requester=CAMILLE)
    newer = make_ticket("nid-de-poule", requester=CAMILLE)
    our_id = Mail.objects.get(ticket=older).message_id

    inbound = ingest(_bounce_for(older, our_id))

    assert inbound.outcome == InboundMessage.Outcome.BOUNCE and inbound.ticket == older
    event = older.events.get(kind=Event.Kind.MAIL_BOUNCED)
    assert event.data == {"inbound_id": inbound.pk, "status": "5.1.1", "permanent": True}
    assert not newer.events.filter(kind=Event.Kind.MAIL_BOUNCED).exists()
    sentence = describe(event, Audience.AGENT, names_for([event], Audience.AGENT))
    assert "non remis" in sentence and "5.1.1" in sentence
    older.requester.refresh_from_db()
    assert older.requester.failing_email == "camille@example.fr"
    assert older.requester.email_failed_at is not None


def test_a_mail_from_a_failing_address_clears_it(make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule", requester=CAMILLE)
    ingest(_bounce_for(ticket, Mail.objects.get(ticket=ticket).message_id))
    ticket.requester.refresh_from_db()
    assert ticket.requester.failing_email

    ingest(message(to="contact@ma-commune.fr", message_id="<back@x>", subject=ticket.reference))

    ticket.requester.refresh_from_db()
    assert ticket.requester.failing_email == "" and ticket.requester.email_failed_at is None


def test_a_delay_notice_marks_nothing(make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule", requester=CAMILLE)
    raw = _bounce_for(ticket, Mail.objects.get(ticket=ticket).message_id)
    raw = raw.replace(b"Status: 5.1.1", b"Status: 4.4.1").replace(
        b"Action: failed", b"Action: delayed"
    )

    inbound = ingest(raw)

    assert inbound.outcome == InboundMessage.Outcome.BOUNCE
    assert not Event.objects.filter(kind=Event.Kind.MAIL_BOUNCED).exists()
    ticket.requester.refresh_from_db()
    assert ticket.requester.failing_email == ""


def test_too_many_mails_from_one_address_wait_in_quarantine_with_the_reason(
    catalog: None, settings: Any
) -> None:
    settings.PARVIS_SUBMIT_EMAIL_LIMIT = 2
    matters = ["Horaires de la piscine ?", "Collecte des encombrants", "Carte d'électeur perdue"]
    outcomes = [
        ingest(
            message(to="contact@ma-commune.fr", message_id=f"<flood{i}@x>", subject=s, body=s * 3)
        )
        for i, s in enumerate(matters)
    ]

    assert [o.outcome for o in outcomes] == ["created", "created", "quarantined"]
    assert "Plusieurs demandes viennent déjà d'être déposées" in outcomes[2].error
    assert "Traceback" not in outcomes[2].error
    assert outcomes[2].raw  # kept: an administrator retries it later


def test_an_address_added_or_changed_applies_to_the_next_mail(
    catalog: None, django_capture_on_commit_callbacks: Any
) -> None:
    """Each process keeps the addresses; an administrator's edit moves its version."""
    first = ingest(message(to="urbanisme@ma-commune.fr", message_id="<e1@x>"))
    assert first.mailbox is None
    with django_capture_on_commit_callbacks(execute=True):
        mailbox = Mailbox.objects.create(
            address="urbanisme@ma-commune.fr", service=Service.objects.get(slug="urbanisme")
        )
    assert ingest(message(to="urbanisme@ma-commune.fr", message_id="<e2@x>")).mailbox == mailbox

    with django_capture_on_commit_callbacks(execute=True):
        Mailbox.objects.filter(pk=mailbox.pk).update(is_active=False)
    assert ingest(message(to="urbanisme@ma-commune.fr", message_id="<e3@x>")).mailbox is None
