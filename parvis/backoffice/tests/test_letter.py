"""A citizen without email: the ticket page says what really happens to a reply, and each
reply prints as a letter (PDF), recorded in the timeline."""

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from parvis.tickets.actions import ticket_add_note, ticket_reply
from parvis.tickets.models import Event, Ticket
from parvis.tickets.structures import RequesterData


@pytest.fixture
def by_post(make_ticket: Any) -> Ticket:
    """A birth-certificate request from a citizen who gave only a phone number."""
    return make_ticket(
        "acte-de-naissance",
        subject="Acte pour ma fille",
        requester=RequesterData("Jeanne Lefèvre", "", "06 11 22 33 44"),
    )


def _page(client: Any, ticket: Ticket) -> str:
    response = client.get(reverse("backoffice:ticket", args=[ticket.reference]))
    assert response.status_code == 200
    return str(response.content.decode())


def _letter_url(ticket: Ticket, message_id: int) -> str:
    return reverse("backoffice:letter", args=[ticket.reference, message_id])


def test_without_email_the_page_never_says_the_reply_is_emailed(
    login: Any, etat_civil_agent: Any, by_post: Ticket
) -> None:
    html = _page(login(etat_civil_agent), by_post)
    assert "Envoyée par courriel" not in html
    assert "votre réponse ne lui sera pas envoyée" in html
    assert "appelez-le au 06 11 22 33 44" in html
    assert "Aucun courriel ne part" in html


def test_with_email_the_reply_is_said_to_be_emailed(
    login: Any, etat_civil_agent: Any, birth_certificate: Ticket
) -> None:
    html = _page(login(etat_civil_agent), birth_certificate)
    assert "Envoyée par courriel à l'usager" in html
    assert "ne lui sera pas envoyée" not in html


def test_the_timeline_says_whether_the_reply_went_by_email(
    login: Any, etat_civil_agent: Any, by_post: Ticket, birth_certificate: Ticket
) -> None:
    ticket_reply(ticket=by_post, actor=etat_civil_agent, body="Votre acte est prêt.")
    ticket_reply(ticket=birth_certificate, actor=etat_civil_agent, body="Votre acte est prêt.")
    client = login(etat_civil_agent)
    assert "l&#x27;usager n&#x27;a pas d&#x27;adresse électronique" in _page(client, by_post)
    assert "Réponse envoyée à l&#x27;usager par courriel" in _page(client, birth_certificate)


def test_replying_without_email_says_it_was_not_sent(
    login: Any, etat_civil_agent: Any, by_post: Ticket
) -> None:
    response = login(etat_civil_agent).post(
        reverse("backoffice:reply", args=[by_post.reference]),
        {"body": "Votre acte est prêt."},
        follow=True,
    )
    assert "Réponse enregistrée, mais pas envoyée" in response.content.decode()


def test_each_reply_prints_as_a_letter_and_the_printing_is_recorded(
    login: Any, etat_civil_agent: Any, by_post: Ticket
) -> None:
    reply = ticket_reply(ticket=by_post, actor=etat_civil_agent, body="Votre acte est prêt.")
    client = login(etat_civil_agent)
    assert f'action="{_letter_url(by_post, reply.pk)}"' in _page(client, by_post)

    response = client.post(_letter_url(by_post, reply.pk), {"address": "12 rue des Lilas"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="courrier-{by_post.reference}.pdf"'
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Votre acte est prêt." in text and "12 rue des Lilas" in text
    assert by_post.reference in text
    event = Event.objects.get(ticket=by_post, kind=Event.Kind.LETTER_PRINTED)
    assert (event.actor, event.data) == (etat_civil_agent, {"message_id": reply.pk})
    assert "Réponse imprimée en courrier pour l&#x27;usager" in _page(client, by_post)


def test_only_a_reply_of_this_ticket_prints(
    login: Any, etat_civil_agent: Any, by_post: Ticket, birth_certificate: Ticket
) -> None:
    note = ticket_add_note(ticket=by_post, actor=etat_civil_agent, body="Interne")
    other = ticket_reply(ticket=birth_certificate, actor=etat_civil_agent, body="Autre")
    client = login(etat_civil_agent)
    assert client.post(_letter_url(by_post, note.pk)).status_code == 404
    assert client.post(_letter_url(by_post, other.pk)).status_code == 404
    assert not Event.objects.filter(kind=Event.Kind.LETTER_PRINTED).exists()


def test_an_agent_who_may_not_see_the_ticket_gets_no_letter(
    login: Any, etat_civil_agent: Any, voirie_agent: Any, by_post: Ticket
) -> None:
    reply = ticket_reply(ticket=by_post, actor=etat_civil_agent, body="Votre acte est prêt.")
    assert login(voirie_agent).post(_letter_url(by_post, reply.pk)).status_code == 404


def test_an_address_too_long_is_refused_in_french(
    login: Any, etat_civil_agent: Any, by_post: Ticket
) -> None:
    reply = ticket_reply(ticket=by_post, actor=etat_civil_agent, body="Votre acte est prêt.")
    response = login(etat_civil_agent).post(
        _letter_url(by_post, reply.pk), {"address": "x" * 301}, follow=True
    )
    assert "L&#x27;adresse postale tient en 300 caractères au plus." in response.content.decode()
    assert not Event.objects.filter(kind=Event.Kind.LETTER_PRINTED).exists()
