"""A message received becomes a ticket or joins one, once; robots and strangers do not."""

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from parvis.core.models import Commune
from parvis.mailin.actions import mail_process, mail_receive
from parvis.mailin.models import InboundMessage
from parvis.notifications.envelope import reply_address, sender_address
from parvis.notifications.models import Mail
from parvis.tickets.events import Audience, describe, names_for
from parvis.tickets.models import Channel, Message, Status, Ticket
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db

CAMILLE = RequesterData("Camille Martin", "camille@example.fr")


def message(
    *,
    sender: str = "Camille Martin <camille@example.fr>",
    to: str = "contact@ma-commune.fr",
    subject: str = "Nid de poule rue des Écoles",
    body: str = "Bonjour,\nil y a un trou dangereux devant l'école.\nMerci",
    message_id: str = "<m1@example.fr>",
    extra: str = "",
) -> bytes:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n"
        f"{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    ).encode()


def ingest(raw: bytes) -> InboundMessage:
    inbound, _new = mail_receive(raw=raw, source=InboundMessage.Source.FILE)
    return mail_process(inbound)


def test_a_new_message_opens_a_ticket_from_its_sender(catalog: None, mailoutbox: list[Any]) -> None:
    inbound = ingest(message())

    assert inbound.outcome == InboundMessage.Outcome.CREATED
    ticket = Ticket.objects.get()
    assert inbound.ticket == ticket and inbound.state == InboundMessage.State.PROCESSED
    assert ticket.channel == Channel.EMAIL
    assert ticket.subject == "Nid de poule rue des Écoles"
    assert ticket.description.startswith("Bonjour,\nil y a un trou")
    assert (ticket.requester_name, ticket.requester_email) == (
        "Camille Martin",
        "camille@example.fr",
    )


def test_the_same_message_delivered_twice_is_one_ticket(catalog: None) -> None:
    first = ingest(message())
    again, new = mail_receive(raw=message(), source=InboundMessage.Source.SMTP)

    assert not new and again.pk == first.pk
    assert mail_process(again).ticket == first.ticket
    assert Ticket.objects.count() == 1 and InboundMessage.objects.count() == 1


def test_a_message_without_message_id_is_deduplicated_by_its_bytes(catalog: None) -> None:
    raw = message().replace(b"Message-ID: <m1@example.fr>\r\n", b"")
    ingest(raw)
    ingest(raw)
    assert Ticket.objects.count() == 1


def test_a_reply_to_our_acknowledgement_joins_its_ticket(
    make_ticket: Any, mailoutbox: list[Any]
) -> None:
    ticket = make_ticket("nid-de-poule", requester=CAMILLE)
    ours = Mail.objects.get(ticket=ticket).message_id
    reply = message(
        subject=f"Re: Votre demande {ticket.reference}",
        body=(
            "Il y a aussi un second trou.\n\n"
            "Le lun. 3 févr. 2025 à 10:12, Mairie a écrit :\n> Votre demande"
        ),
        message_id="<r1@example.fr>",
        extra=f"In-Reply-To: {ours}\r\nReferences: {ours}\r\n",
    )
    inbound = ingest(reply)

    assert inbound.outcome == InboundMessage.Outcome.APPENDED and inbound.ticket == ticket
    assert Message.objects.get(ticket=ticket).body == "Il y a aussi un second trou."
    assert Ticket.objects.count() == 1


def test_a_reply_to_the_ticket_reply_address_joins_it_from_any_sender(make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule", requester=CAMILLE)
    address = reply_address(ticket.reference, "contact@ma-commune.fr")
    inbound = ingest(message(to=address, sender="autre@example.fr", subject="Suite"))
    assert inbound.outcome == InboundMessage.Outcome.APPENDED and inbound.ticket == ticket


def test_a_reply_address_with_a_wrong_signature_opens_a_new_ticket(make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule", requester=CAMILLE)
    forged = f"contact+t.{ticket.reference}.0123456789abcdef@ma-commune.fr"
    inbound = ingest(message(to=forged, sender="intrus@example.fr", subject="Suite"))
    assert inbound.outcome == InboundMessage.Outcome.CREATED and inbound.ticket != ticket


def test_a_reference_in_the_subject_joins_only_from_the_requester(make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule", requester=CAMILLE)
    subject = f"Demande {ticket.reference} : des nouvelles ?"

    stranger = ingest(message(sender="intrus@example.fr", subject=subject, message_id="<s1@x>"))
    requester = ingest(message(subject=subject, message_id="<s2@x>"))

    assert stranger.outcome == InboundMessage.Outcome.CREATED and stranger.ticket != ticket
    assert requester.outcome == InboundMessage.Outcome.APPENDED and requester.ticket == ticket
    assert not Message.objects.filter(ticket=ticket, body__contains="intrus").exists()


def test_a_reply_long_after_closing_opens_a_new_ticket_that_names_it(make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule", requester=CAMILLE)
    closed = timezone.now() - datetime.timedelta(days=31)  # the window is 30 days
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED, resolved_at=closed)
    inbound = ingest(message(subject=f"Re: {ticket.reference}", message_id="<c1@x>"))

    assert inbound.outcome == InboundMessage.Outcome.CREATED and inbound.ticket != ticket
    created = inbound.ticket.events.get(kind="created")
    assert created.data["metadata"]["previous_reference"] == ticket.reference
    sentence = describe(created, Audience.AGENT, names_for([created], Audience.AGENT))
    assert f"suite de la demande close {ticket.reference}" in sentence
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_a_reply_soon_after_closing_reopens_the_ticket(make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule", requester=CAMILLE)
    closed = timezone.now() - datetime.timedelta(days=29)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED, resolved_at=closed)
    inbound = ingest(
        message(subject=f"Re: {ticket.reference}", body="Toujours là.", message_id="<c2@x>")
    )

    assert inbound.outcome == InboundMessage.Outcome.APPENDED and inbound.ticket == ticket
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and ticket.resolved_at is None
    assert inbound.ticket_message.body == "Toujours là."
    assert ticket.events.filter(kind="status", data__to=Status.IN_PROGRESS).exists()


def test_the_reopen_window_is_the_communes(make_ticket: Any) -> None:
    Commune.objects.create(name="Ma commune", mail_reopen_days=3)
    ticket = make_ticket("nid-de-poule", requester=CAMILLE)
    closed = timezone.now() - datetime.timedelta(days=4)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED, resolved_at=closed)
    inbound = ingest(message(subject=f"Re: {ticket.reference}", message_id="<c3@x>"))
    assert inbound.outcome == InboundMessage.Outcome.CREATED


def test_an_out_of_office_is_a_note_never_acknowledged_never_reopening(
    make_ticket: Any, mailoutbox: list[Any]
) -> None:
    ticket = make_ticket("nid-de-poule", requester=CAMILLE)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.RESOLVED)
    ours = Mail.objects.get(ticket=ticket).message_id
    mailoutbox.clear()
    inbound = ingest(
        message(
            subject="Réponse automatique : absente",
            body="Je suis absente jusqu'au 12.",
            message_id="<ooo@x>",
            extra=f"Auto-Submitted: auto-replied\r\nIn-Reply-To: {ours}\r\n",
        )
    )

    assert inbound.outcome == InboundMessage.Outcome.AUTO_REPLY and inbound.ticket == ticket
    note = Message.objects.get(ticket=ticket)
    assert note.kind == Message.Kind.NOTE and "absente jusqu'au 12" in note.body
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert Ticket.objects.count() == 1 and mailoutbox == []


def test_spam_is_quarantined_and_lists_are_robots(catalog: None) -> None:
    spam = ingest(message(extra="X-Spam-Flag: YES\r\n", message_id="<sp@x>"))
    newsletter = ingest(message(extra="List-Id: <news.example.fr>\r\n", message_id="<nl@x>"))

    assert spam.state == InboundMessage.State.QUARANTINED
    assert spam.outcome == InboundMessage.Outcome.QUARANTINED
    assert newsletter.outcome == InboundMessage.Outcome.AUTO_REPLY  # never acknowledged
    assert not Ticket.objects.exists()


def test_a_refused_attachment_is_named_and_the_message_still_kept(catalog: None) -> None:
    raw = (
        b"From: camille@example.fr\r\nTo: contact@ma-commune.fr\r\nSubject: Photos\r\n"
        b"Message-ID: <att@x>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nVoici le trou.\r\n--B\r\n"
        b"Content-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="virus.exe"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        b"TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAA\r\n--B--\r\n"
    )
    inbound = ingest(raw)
    assert inbound.outcome == InboundMessage.Outcome.CREATED
    assert inbound.refused_files == ["virus.exe"]
    assert not inbound.ticket.attachments.exists()


def test_a_failure_quarantines_the_message_with_nothing_half_done(
    catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("base indisponible")

    monkeypatch.setattr("parvis.mailin.actions.intake_submit", broken)
    inbound = ingest(message())

    assert inbound.state == InboundMessage.State.QUARANTINED
    assert "base indisponible" in inbound.error
    assert not Ticket.objects.exists()
    assert bytes(inbound.raw) == message()  # kept as it arrived


def test_mail_ingest_prints_one_json_line_per_message(catalog: None, tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(message(message_id="<a@x>"))
    (tmp_path / "b.eml").write_bytes(message(message_id="<b@x>", extra="X-Spam-Flag: YES\r\n"))
    out = StringIO()
    call_command("mail", "ingest", str(tmp_path), str(tmp_path / "a.eml"), stdout=out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    reference = Ticket.objects.get().reference
    assert lines == [
        {"message_id": "<a@x>", "outcome": "created", "reference": reference},
        {"message_id": "<b@x>", "outcome": "quarantined", "reference": None},
        {"message_id": "<a@x>", "outcome": "ignored", "reference": reference},
    ]


def test_ingest_again_after_a_crash_processes_what_was_only_stored_and_says_so(
    catalog: None, tmp_path: Path
) -> None:
    """A run killed between storing and processing: the next run processes it, once."""
    mail_receive(raw=message(), source=InboundMessage.Source.FILE)  # stored, then killed
    (tmp_path / "a.eml").write_bytes(message())
    out = StringIO()
    call_command("mail", "ingest", str(tmp_path / "a.eml"), str(tmp_path / "a.eml"), stdout=out)

    first, second = [json.loads(line) for line in out.getvalue().splitlines()]
    assert first["outcome"] == "created" and second["outcome"] == "ignored"
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.get().state == InboundMessage.State.PROCESSED


def test_the_acknowledgement_of_a_mail_threads_and_its_answer_comes_back(
    catalog: None, mailoutbox: list[Any]
) -> None:
    """The whole loop: a mail, its acknowledgement, the citizen pressing "Répondre"."""
    from parvis.conftest import run_worker

    ticket = ingest(message()).ticket
    run_worker()
    (ack,) = mailoutbox
    headers = ack.extra_headers

    assert headers["Reply-To"] == reply_address(ticket.reference, sender_address())
    assert headers["In-Reply-To"] == "<m1@example.fr>"
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["X-Parvis-Loop"]
    assert ack.body.startswith("— Répondez au-dessus de cette ligne —")
    assert ticket.reference in ack.subject

    answer = message(
        to=headers["Reply-To"],
        subject=f"Re: {ack.subject}",
        body=f"Merci, c'est au niveau du n° 12.\n\n{ack.body}",
        message_id="<m2@example.fr>",
        extra=f"In-Reply-To: {headers['Message-ID']}\r\n",
    )
    appended = ingest(answer)
    assert appended.outcome == InboundMessage.Outcome.APPENDED and appended.ticket == ticket
    assert Message.objects.get(ticket=ticket).body == "Merci, c'est au niveau du n° 12."
    ticket.requester.refresh_from_db()
    assert ticket.requester.has_confirmed("camille@example.fr")  # they read our mail there

    bounced_back = ack.message().as_bytes()
    assert ingest(bounced_back).outcome == InboundMessage.Outcome.IGNORED  # our own mail
