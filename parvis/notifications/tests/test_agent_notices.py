"""Agents are told by mail when the citizen writes or when a mail to the citizen bounced —
without the citizen's means of answering, and nothing of a confidential request."""

from pathlib import Path
from typing import Any

import pytest
from django.core import mail as django_mail

from parvis.conftest import run_worker
from parvis.notifications.actions import mail_mark_bounced
from parvis.notifications.models import Audience, Delivery, Mail, Template
from parvis.tickets.actions import (
    ticket_add_citizen_message,
    ticket_assign,
    ticket_record_bounce,
    ticket_reply,
)
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def paul(make_agent: Any) -> Any:
    return make_agent("services-techniques", first_name="Paul", last_name="Durand")


@pytest.fixture
def ines(make_agent: Any) -> Any:
    return make_agent("services-techniques", first_name="Inès", last_name="Blanc")


def notices() -> list[Mail]:
    return list(Mail.objects.filter(audience=Audience.AGENT).order_by("pk"))


def test_a_citizen_message_on_an_assigned_ticket_tells_its_assignee_only(
    pothole: Ticket, paul: Any, ines: Any, settings: Any
) -> None:
    ticket_assign(ticket=pothole, actor=paul, assignee=paul)
    ticket_add_citizen_message(ticket=pothole, body="C'est devant le numéro 12.")
    run_worker()

    (notice,) = notices()
    assert notice.to == paul.email and notice.template == Template.AGENT_CITIZEN_MESSAGE
    assert pothole.reference in notice.subject and "Trou rue Victor Hugo" in notice.subject
    assert "C'est devant le numéro 12." in notice.body
    url = f"{settings.BASE_URL}/agents/demandes/{pothole.reference}/"
    assert url in notice.body, "an absolute link to the ticket's back-office page"
    assert "vous est attribuée" in notice.body
    (sent,) = django_mail.outbox
    assert sent.to == [paul.email]


def test_the_link_of_a_notice_is_the_ticket_s_page(pothole: Ticket, paul: Any) -> None:
    from django.urls import reverse

    ticket_add_citizen_message(ticket=pothole, body="Bonjour")
    run_worker()
    assert reverse("backoffice:ticket", args=[pothole.reference]) in notices()[0].body


def test_a_citizen_message_on_an_unassigned_ticket_tells_each_member_of_its_service(
    pothole: Ticket, paul: Any, ines: Any, make_agent: Any
) -> None:
    make_agent("etat-civil")  # another service: not told
    make_agent("services-techniques", email="")  # no address: skipped
    make_agent("services-techniques", is_active=False)  # gone: skipped
    ticket_add_citizen_message(ticket=pothole, body="Toujours rien ?", is_follow_up=True)
    run_worker()

    assert [m.to for m in notices()] == [paul.email, ines.email]
    assert len({m.message_id for m in notices()}) == 2, "each notice has its own Message-ID"
    assert "Relance de l'usager" in notices()[0].subject
    assert "n'est attribuée à personne" in notices()[0].body
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted([paul.email, ines.email])


def test_the_agent_who_typed_the_message_in_is_not_told(
    pothole: Ticket, paul: Any, ines: Any
) -> None:
    ticket_add_citizen_message(ticket=pothole, body="Appel : c'est au 12.", actor=ines)
    run_worker()
    assert [m.to for m in notices()] == [paul.email]

    ticket_assign(ticket=pothole, actor=paul, assignee=paul)
    ticket_add_citizen_message(ticket=pothole, body="Rappel : au 12.", actor=paul)
    run_worker()
    assert len(notices()) == 1, "the assignee typed it: nobody to tell"


def test_a_notice_carries_none_of_the_citizen_s_means_of_answering(
    pothole: Ticket, paul: Any
) -> None:
    ticket_reply(ticket=pothole, actor=paul, body="Nous passons jeudi.")  # assigns Paul
    ticket_add_citizen_message(ticket=pothole, body="Merci !")
    run_worker()
    _reply, notice = django_mail.outbox

    assert notice.to == [paul.email]
    headers = notice.extra_headers
    assert "Reply-To" not in headers, "answering a notice must not write as the citizen"
    assert "In-Reply-To" not in headers and "References" not in headers
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["X-Parvis-Loop"]
    assert "Répondez au-dessus" not in notice.body
    html = notice.alternatives[0][0]
    assert "Répondez au-dessus" not in html and "Merci !" in html


def test_a_notice_is_no_part_of_the_citizen_s_conversation(pothole: Ticket, paul: Any) -> None:
    ticket_add_citizen_message(ticket=pothole, body="Bonjour ?")
    run_worker()
    notice_id = notices()[0].message_id
    ticket_reply(ticket=pothole, actor=paul, body="Nous passons jeudi.")
    run_worker()
    reply = django_mail.outbox[-1]
    assert reply.to == ["camille@example.fr"]
    assert notice_id not in reply.extra_headers["References"]
    assert notice_id != reply.extra_headers["In-Reply-To"]


def test_an_agent_answering_a_notice_does_not_write_into_the_ticket(
    pothole: Ticket, paul: Any
) -> None:
    from parvis.mailin.actions import mail_process, mail_receive
    from parvis.mailin.models import InboundMessage

    ticket_add_citizen_message(ticket=pothole, body="Bonjour ?")
    run_worker()
    notice = notices()[0]
    answer = (
        f"From: {paul.email}\r\nTo: contact@parvis.localhost\r\nSubject: Re: {notice.subject}\r\n"
        f"Message-ID: <agent-answer@mairie.test>\r\nIn-Reply-To: {notice.message_id}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nJe m'en occupe.\r\n"
    ).encode()
    inbound, _new = mail_receive(raw=answer, source=InboundMessage.Source.FILE)
    inbound = mail_process(inbound)
    assert inbound.ticket != pothole
    assert not pothole.messages.filter(body__contains="Je m'en occupe").exists()


def test_a_notice_of_a_confidential_ticket_says_its_reference_and_subject_only(
    make_ticket: Any, make_agent: Any
) -> None:
    claire = make_agent("ccas", first_name="Claire", last_name="Petit")
    ticket = make_ticket("demande-aide-sociale", subject="Aide pour la facture")
    ticket_add_citizen_message(ticket=ticket, body="Mon fils est malade, je ne peux pas payer.")
    run_worker()

    (notice,) = notices()
    assert notice.to == claire.email
    assert ticket.reference in notice.subject
    assert "malade" not in notice.body and "malade" not in notice.subject
    assert "confidentielle" in notice.body


def test_a_bounce_tells_the_assignee(pothole: Ticket, paul: Any, ines: Any) -> None:
    ticket_assign(ticket=pothole, actor=ines, assignee=paul)
    ticket_record_bounce(ticket=pothole, inbound_id=1, status="5.1.1", permanent=True)
    run_worker()

    (notice,) = notices()
    assert notice.to == paul.email and notice.template == Template.AGENT_BOUNCE
    assert "non remis" in notice.subject and pothole.reference in notice.subject
    assert "5.1.1" in notice.body


def test_a_delay_notice_tells_nobody(pothole: Ticket, paul: Any) -> None:
    ticket_assign(ticket=pothole, actor=paul, assignee=paul)
    ticket_record_bounce(ticket=pothole, inbound_id=1, status="4.4.7", permanent=False)
    run_worker()
    assert notices() == []


# --- mail_mark_bounced: what the bounce processing calls ---------------------------------


def test_a_bounced_mail_is_marked_and_given_back(pothole: Ticket, paul: Any) -> None:
    acknowledgement = Mail.objects.get(ticket=pothole, template="acknowledgement")
    bare = acknowledgement.message_id.strip("<>")

    found = mail_mark_bounced(message_ids=["<unknown@example.fr>", bare])

    assert found == acknowledgement
    acknowledgement.refresh_from_db()
    assert acknowledgement.bounced_at is not None
    assert acknowledgement.delivery == Delivery.BOUNCED
    first = acknowledgement.bounced_at
    assert mail_mark_bounced(message_ids=[acknowledgement.message_id]) == acknowledgement
    acknowledgement.refresh_from_db()
    assert acknowledgement.bounced_at == first, "a second report keeps the first date"


def test_a_report_about_no_mail_of_ours_finds_nothing(db: None) -> None:
    assert mail_mark_bounced(message_ids=["<elsewhere@example.fr>"]) is None
    assert mail_mark_bounced(message_ids=["", "<>"]) is None


def test_a_bounced_notice_is_marked_but_not_given_back(pothole: Ticket, paul: Any) -> None:
    """Reporting it on the ticket would alert the same address again, and so on."""
    ticket_add_citizen_message(ticket=pothole, body="Bonjour ?")
    run_worker()
    notice = notices()[0]
    assert mail_mark_bounced(message_ids=[notice.message_id]) is None
    notice.refresh_from_db()
    assert notice.bounced_at is not None


# --- through the bounce processing (mailin), with a real delivery report -----------------

_REPORT = Path(__file__).parents[2] / "mailin/tests/corpus/bounce-rfc3464-postfix-user-unknown.eml"


def _ingest_report(failed_address: str, our_id: str, number: int = 1) -> Any:
    from parvis.mailin.actions import mail_process, mail_receive
    from parvis.mailin.models import InboundMessage

    raw = _REPORT.read_bytes()
    for placeholder, value in {
        "{{OUR_MESSAGE_ID}}": our_id,
        "{{REQUESTER_EMAIL}}": failed_address,
        "{{REFERENCE}}": "",
        "{{REPLY_ADDRESS}}": "contact@ma-commune.fr",
        "7A1B2C3D4E@": f"7A1B2C3D4E{number}@",  # a report of its own
    }.items():
        raw = raw.replace(placeholder.encode(), value.encode())
    inbound, _new = mail_receive(raw=raw, source=InboundMessage.Source.SMTP)
    return mail_process(inbound)


def test_a_received_report_marks_the_mail_and_alerts_the_assignee(
    pothole: Ticket, paul: Any
) -> None:
    from parvis.tickets.models import Event

    ticket_assign(ticket=pothole, actor=paul, assignee=paul)
    acknowledgement = Mail.objects.get(ticket=pothole, template="acknowledgement")

    _ingest_report("camille@example.fr", acknowledgement.message_id)
    run_worker()

    acknowledgement.refresh_from_db()
    assert acknowledgement.delivery == Delivery.BOUNCED
    assert pothole.events.filter(kind=Event.Kind.MAIL_BOUNCED).count() == 1
    (notice,) = notices()
    assert notice.to == paul.email and notice.template == Template.AGENT_BOUNCE


def test_a_notice_that_bounces_alerts_nobody_and_marks_no_citizen(
    pothole: Ticket, paul: Any
) -> None:
    from parvis.tickets.models import Event

    ticket_assign(ticket=pothole, actor=paul, assignee=paul)
    ticket_add_citizen_message(ticket=pothole, body="Bonjour ?")
    run_worker()
    (notice,) = notices()

    _ingest_report(paul.email, notice.message_id)
    run_worker()

    notice.refresh_from_db()
    assert notice.delivery == Delivery.BOUNCED, "its ticket page says so"
    assert not pothole.events.filter(kind=Event.Kind.MAIL_BOUNCED).exists()
    assert notices() == [notice], "no notice about the notice"
    pothole.requester.refresh_from_db()
    assert pothole.requester.failing_email == ""
