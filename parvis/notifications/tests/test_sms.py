"""The citizen chooses how to be told: email, SMS (through the configured backend) or nothing."""

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from parvis.conftest import run_worker
from parvis.notifications.models import TextMessage
from parvis.notifications.sms import MAX_LENGTH, MemoryBackend, sms_body
from parvis.notifications.sms_sending import sms_send_pending
from parvis.tickets.actions import default_notify_by, ticket_reply
from parvis.tickets.models import NotifyBy, Ticket
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db

SMS = "parvis.notifications.sms.MemoryBackend"


@pytest.fixture(autouse=True)
def _outbox() -> None:
    MemoryBackend.outbox.clear()


def _file(client: Any, *, notify_by: str, email: str = "", phone: str = "") -> Ticket:
    form = client.get(reverse("portal:request_form", args=["question-generale"])).content.decode()
    assert "par SMS" in form
    response = client.post(
        reverse("portal:request_form", args=["question-generale"]),
        {
            "name": "Camille Martin",
            "email": email,
            "phone": phone,
            "description": "Un trou profond devant le 12.",
            "location": "12 rue Victor Hugo",
            "notify_by": notify_by,
            "consent": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Ticket.objects.latest("pk")


def test_a_citizen_who_chose_sms_gets_texts_and_no_mail(
    catalog: None, client: Any, settings: Any, make_agent: Any
) -> None:
    settings.PARVIS_SMS_BACKEND = SMS
    ticket = _file(client, notify_by="sms", email="camille@example.fr", phone="06 12 34 56 78")
    run_worker()
    sms_send_pending()

    assert ticket.notify_by == NotifyBy.SMS
    assert not mail.outbox
    ((to, text),) = MemoryBackend.outbox
    assert to == "06 12 34 56 78"
    assert ticket.reference in text
    assert "/suivi/" not in text  # a typed number is not confirmed: no link
    assert "trou" not in text.lower()  # nor what was typed

    ticket_reply(ticket=ticket, actor=make_agent("services-techniques"), body="C'est noté.")
    run_worker()
    sms_send_pending()
    assert len(MemoryBackend.outbox) == 2 and not mail.outbox


def test_a_citizen_who_chose_nothing_is_sent_nothing(
    catalog: None, client: Any, settings: Any
) -> None:
    settings.PARVIS_SMS_BACKEND = SMS
    _file(client, notify_by="none", email="camille@example.fr", phone="0612345678")
    run_worker()
    sms_send_pending()

    assert not mail.outbox and not MemoryBackend.outbox


def test_without_a_backend_sms_are_not_offered(catalog: None, client: Any) -> None:
    page = client.get(reverse("portal:request_form", args=["question-generale"])).content.decode()

    assert "par SMS" not in page
    assert "par courriel" in page


def test_sms_chosen_without_a_phone_is_refused_in_french(
    catalog: None, client: Any, settings: Any
) -> None:
    settings.PARVIS_SMS_BACKEND = SMS
    response = client.post(
        reverse("portal:request_form", args=["question-generale"]),
        {"name": "Camille", "email": "c@example.fr", "description": "Trou", "notify_by": "sms"},
    )

    assert response.status_code == 400
    assert "Pour être informé par SMS, indiquez votre téléphone." in response.content.decode()


def test_a_failing_provider_is_tried_again_later(
    make_ticket: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.PARVIS_SMS_BACKEND = SMS

    def refuse(self: Any, to: str, text: str) -> None:
        raise OSError("provider down")

    monkeypatch.setattr(MemoryBackend, "send", refuse)
    make_ticket("nid-de-poule", requester=RequesterData("Camille Martin", "", "0612345678"))
    run_worker()
    assert sms_send_pending() == 0

    message = TextMessage.objects.get()
    assert message.sent_at is None and message.send_attempts == 1
    assert "provider down" in message.last_error


def test_a_channel_that_asked_nothing_uses_email_then_sms_then_nothing(settings: Any) -> None:
    assert default_notify_by("a@example.fr", "0612345678") == NotifyBy.EMAIL
    assert default_notify_by("", "0612345678") == NotifyBy.NONE
    settings.PARVIS_SMS_BACKEND = SMS
    assert default_notify_by("", "0612345678") == NotifyBy.SMS
    assert default_notify_by("", "") == NotifyBy.NONE


def test_a_text_is_sent_on_one_line_in_gsm_letters_when_it_can_be() -> None:
    assert sms_body("Prêt accordé :\n« salle des fêtes »  l’été…  Œuvre çà") == (
        'Pret accordé : "salle des fetes" l\'été... OEuvre cà'
    )
    assert sms_body("x" * 500) == "x" * MAX_LENGTH  # the rest is on the tracking page
