"""Writing on one's request from the tracking page: a message (with files) or a follow-up."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from parvis.tickets.actions import ticket_change_status
from parvis.tickets.models import Event, Message, Status, Ticket

pytestmark = pytest.mark.django_db


def _message_url(ticket):
    return reverse("portal:add_message", args=[ticket.tracking_token])


def _follow_up_url(ticket):
    return reverse("portal:follow_up", args=[ticket.tracking_token])


def _days_later(days):
    """A follow-up makes sense once the service has been silent a while (test_follow_ups)."""
    return time_machine.travel(timezone.now() + datetime.timedelta(days=days), tick=False)


def test_it_adds_a_message_with_files(client, make_ticket, png):
    ticket = make_ticket("acte-de-naissance")
    response = client.post(
        _message_url(ticket),
        {
            "message-body": "Voici mon justificatif.",
            "message-attachments": [png("justif.png")],
        },
        follow=True,
    )
    message = Message.objects.get(ticket=ticket, kind=Message.Kind.CITIZEN)
    assert message.body == "Voici mon justificatif."
    assert not message.is_follow_up
    assert [a.original_name for a in message.attachments.all()] == ["justif.png"]
    html = response.content.decode()
    assert "Votre message a bien été ajouté à votre demande." in html
    assert "Voici mon justificatif." in html
    assert response.redirect_chain[-1][0] == reverse("portal:track", args=[ticket.tracking_token])


def test_it_requires_a_message_body(client, make_ticket):
    ticket = make_ticket("acte-de-naissance")
    response = client.post(_message_url(ticket), {"message-body": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_message-body"' in html
    assert "Ce champ est obligatoire." in html
    assert not Message.objects.exists()


def test_it_refuses_a_forbidden_file_and_keeps_the_text(client, make_ticket):
    ticket = make_ticket("acte-de-naissance")
    page = SimpleUploadedFile("page.html", b"<html><body><script>alert(1)</script></body></html>")
    response = client.post(
        _message_url(ticket), {"message-body": "Mon texte", "message-attachments": [page]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "n&#x27;est pas d&#x27;un type accepté" in html
    assert "Mon texte</textarea>" in html
    assert "sélectionnez-les à nouveau" in html
    assert not Message.objects.exists()


def test_it_refuses_too_many_files_on_a_message(client, make_ticket, png, settings):
    settings.PARVIS_MAX_FILES_PER_MESSAGE = 1
    ticket = make_ticket("acte-de-naissance")
    response = client.post(
        _message_url(ticket),
        {
            "message-body": "Deux photos",
            "message-attachments": [png("1.png"), png("2.png")],
        },
    )
    assert response.status_code == 400
    assert "Vous pouvez joindre 1 fichier au plus" in response.content.decode()
    assert not Message.objects.exists()


def test_it_refuses_a_message_on_a_closed_ticket(client, make_ticket, make_agent):
    ticket = make_ticket("acte-de-naissance")
    ticket_change_status(ticket=ticket, actor=make_agent("etat-civil"), status=Status.CLOSED)
    response = client.post(_message_url(ticket), {"message-body": "Encore moi"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cette demande est clôturée : déposez une nouvelle demande." in html
    assert not Message.objects.exists()


def test_it_refuses_a_follow_up_on_a_closed_ticket(client, make_ticket, make_agent):
    ticket = make_ticket("acte-de-naissance")
    ticket_change_status(ticket=ticket, actor=make_agent("etat-civil"), status=Status.CLOSED)
    with _days_later(10):
        response = client.post(_follow_up_url(ticket), {})
    assert response.status_code == 409
    assert not Message.objects.exists()
    ticket.refresh_from_db()
    assert ticket.follow_up_count == 0


def test_a_follow_up_is_counted_on_the_same_ticket(client, make_ticket):
    ticket = make_ticket("acte-de-naissance")
    with _days_later(10):
        response = client.post(_follow_up_url(ticket), {}, follow=True)
    assert Ticket.objects.count() == 1
    ticket.refresh_from_db()
    assert ticket.follow_up_count == 1
    message = Message.objects.get()
    assert message.is_follow_up
    assert message.body == "L'usager a relancé sa demande."
    assert Event.objects.filter(ticket=ticket, kind=Event.Kind.FOLLOW_UP).count() == 1
    html = response.content.decode()
    assert "Votre relance a bien été transmise au service." in html
    assert "Vous avez relancé votre demande" in html


def test_a_follow_up_keeps_the_words_typed(client, make_ticket):
    ticket = make_ticket("acte-de-naissance")
    with _days_later(10):
        client.post(_follow_up_url(ticket), {"relance-body": "Sans nouvelles depuis 3 semaines."})
    with _days_later(20):
        client.post(_follow_up_url(ticket), {})
    ticket.refresh_from_db()
    assert ticket.follow_up_count == 2
    assert Message.objects.first().body == "Sans nouvelles depuis 3 semaines."


def test_a_message_reopens_a_resolved_ticket(client, make_ticket, make_agent):
    ticket = make_ticket("acte-de-naissance")
    ticket_change_status(ticket=ticket, actor=make_agent("etat-civil"), status=Status.RESOLVED)
    client.post(_message_url(ticket), {"message-body": "Ce n'est pas réglé."})
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_writing_needs_a_post(client, make_ticket):
    ticket = make_ticket("acte-de-naissance")
    assert client.get(_message_url(ticket)).status_code == 405
    assert client.get(_follow_up_url(ticket)).status_code == 405


def test_writing_needs_a_valid_token(client, catalog):
    response = client.post(
        reverse("portal:add_message", args=["faux-jeton"]), {"message-body": "x"}
    )
    assert response.status_code == 404
    assert client.post(reverse("portal:follow_up", args=["faux-jeton"])).status_code == 404
