"""Same person, same matter, surely: the new request is a follow-up of the open ticket.

Whatever the channel (portal, phone form, mail, API in ``api/tests``), nothing the person
sent is lost, no second ticket is made, and the channel tells them the truth: added to
their request in progress, not created.
"""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from parvis.conftest import verified_login
from parvis.intake.pipeline import Outcome, intake_submit
from parvis.mailin.actions import mail_process, mail_receive
from parvis.mailin.models import InboundMessage
from parvis.tickets.events import Audience, describe, names_for
from parvis.tickets.files import CheckedFile
from parvis.tickets.models import Channel, Event, Message, Ticket
from parvis.tickets.structures import IncomingRequest, Location, RequesterData

pytestmark = pytest.mark.django_db

CAMILLE = RequesterData("Camille Martin", "camille@example.fr", "06 12 34 56 78")
LAMP = "Lampadaire éteint rue des Lilas"
LAMP_TEXT = "Bonjour, le lampadaire devant le 14 rue des Lilas ne s'allume plus depuis lundi."


def _file(channel: Channel, subject: str, description: str, **more: Any) -> Any:
    return intake_submit(
        incoming=IncomingRequest(
            channel=channel,
            requester=more.pop("requester", CAMILLE),
            subject=subject,
            description=description,
            **more,
        ),
        actor=more.pop("actor", None),
        rate_limited=False,
    )


@pytest.fixture
def lamp(catalog: None) -> Ticket:
    submitted = _file(Channel.EMAIL, LAMP, LAMP_TEXT)
    assert submitted.outcome == Outcome.CREATED
    return submitted.ticket


def test_a_certain_repeat_is_added_to_the_open_ticket_with_all_it_said(lamp: Ticket) -> None:
    plan = CheckedFile(
        "plan.pdf", ContentFile(b"%PDF-1.4 plan", name="plan.pdf"), "application/pdf", 13
    )
    submitted = _file(
        Channel.PHONE,
        "Lampadaire éteint rue des Lilas (rappel)",
        "Le lampadaire devant le 14 rue des Lilas ne s'allume toujours plus depuis lundi.",
        requester=RequesterData("Camille Martin", "", "06 12 34 56 78"),
        location=Location(address="14 rue des Lilas"),
        files=[plan],
    )

    assert submitted.outcome == Outcome.APPENDED and submitted.appended
    assert submitted.ticket.pk == lamp.pk
    assert Ticket.objects.count() == 1
    message = submitted.message
    assert message is not None and message.is_follow_up and message.kind == Message.Kind.CITIZEN
    assert "(rappel)" in message.body and "toujours plus" in message.body
    assert "14 rue des Lilas" in message.body
    assert [a.original_name for a in message.attachments.all()] == ["plan.pdf"]
    lamp.refresh_from_db()
    assert lamp.follow_up_count == 1
    event = lamp.events.get(kind=Event.Kind.FOLLOW_UP)
    assert event.data["channel"] == "phone" and event.data["score"] >= 0.6
    agent_says = describe(event, Audience.AGENT, names_for([event], Audience.AGENT))
    assert "Nouvelle demande de l'usager par téléphone" in agent_says
    citizen_says = describe(event, Audience.CITIZEN, names_for([event], Audience.CITIZEN))
    assert citizen_says == "Votre nouvelle demande, sur la même affaire, a été ajoutée à celle-ci"


def test_a_probable_repeat_stays_a_ticket_with_the_flag(lamp: Ticket) -> None:
    submitted = _file(
        Channel.PHONE,
        "Appel de Mme Martin",
        "Mme Martin rappelle : lampadaire du 14 rue des Lilas toujours éteint, pas de réponse.",
    )
    assert submitted.outcome == Outcome.CREATED and submitted.ticket.pk != lamp.pk
    flag = submitted.ticket.events.get(kind=Event.Kind.SAME_MATTER)
    assert flag.data["ticket_id"] == lamp.pk and flag.data["certain"] is False


def test_another_person_s_same_words_make_a_ticket_of_their_own(lamp: Ticket) -> None:
    submitted = _file(
        Channel.EMAIL, LAMP, LAMP_TEXT, requester=RequesterData("Paul Girard", "paul@example.fr")
    )
    assert submitted.outcome == Outcome.CREATED and Ticket.objects.count() == 2


def test_the_portal_says_the_request_was_added_to_the_one_in_progress(
    client: Any, catalog: None, mailoutbox: list[Any]
) -> None:
    url = reverse("portal:request_form", args=["eclairage-public"])
    form = {
        "name": "Camille Martin",
        "email": "camille@example.fr",
        "subject": LAMP,
        "description": LAMP_TEXT,
        "consent": "on",
        "f-location": "14 rue des Lilas",
        "f-failure_type": "eteint",
    }
    first = client.post(url, form)
    assert first.status_code == 302, first.content.decode()[:2000]
    ticket = Ticket.objects.get()
    mailoutbox.clear()

    again = client.post(url, form | {"description": LAMP_TEXT + " Toujours rien ce soir."})

    assert Ticket.objects.count() == 1
    assert again.status_code == 302
    assert again["Location"] == reverse("portal:track_lookup") + f"?reference={ticket.reference}"
    page = client.get(again["Location"]).content.decode()
    assert f"votre demande en cours n° {ticket.reference}" in page
    assert "ajoutée" in page and ticket.tracking_token not in page
    assert f'value="{ticket.reference}"' in page, "the lookup form is prefilled"
    body = ticket.messages.get().body
    assert "Toujours rien ce soir." in body
    assert "Emplacement du lampadaire : 14 rue des Lilas" in body
    assert "Type de problème : Éteint la nuit" in body


def test_the_desk_form_says_added_to_the_request_in_progress(
    client: Any, lamp: Ticket, make_agent: Any
) -> None:
    agent = make_agent("accueil", "services-techniques")
    data = {
        "requester_name": "Camille Martin",
        "requester_email": "camille@example.fr",
        "requester_phone": "",
        "channel": "phone",
        "request_type": "",
        "subject": LAMP,
        "description": LAMP_TEXT + " Elle rappelle.",
        "priority": "2",
    }
    response = verified_login(client, agent).post(
        reverse("backoffice:new_ticket"), data, follow=True
    )
    assert Ticket.objects.count() == 1
    page = response.content.decode()
    assert "Ajoutée à une demande en cours" in page
    assert lamp.reference in page
    assert "Demande enregistrée" not in page
    event = lamp.events.get(kind=Event.Kind.FOLLOW_UP)
    assert event.actor == agent


def _mail(message_id: str, body: str) -> bytes:
    return (
        f"From: Camille Martin <camille@example.fr>\r\nTo: contact@ma-commune.fr\r\n"
        f"Subject: {LAMP}\r\nMessage-ID: {message_id}\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{body}\r\n"
    ).encode()


def _ingest(raw: bytes) -> InboundMessage:
    inbound, _new = mail_receive(raw=raw, source=InboundMessage.Source.FILE)
    return mail_process(inbound)


def test_a_mail_repeating_an_open_ticket_is_appended_to_it(catalog: None) -> None:
    first = _ingest(_mail("<m1@example.fr>", LAMP_TEXT))
    assert first.outcome == InboundMessage.Outcome.CREATED
    again = _ingest(_mail("<m2@example.fr>", LAMP_TEXT + "\nToujours éteint."))

    assert again.outcome == InboundMessage.Outcome.APPENDED
    assert Ticket.objects.count() == 1
    assert again.ticket == first.ticket
    assert again.ticket_message is not None and again.ticket_message.is_follow_up
    assert "Toujours éteint." in again.ticket_message.body
    event = first.ticket.events.get(kind=Event.Kind.FOLLOW_UP)
    assert event.data["channel"] == "email"
    assert event.data["metadata"]["message_id"] == "<m2@example.fr>"
