"""After filing: the acknowledgement banner on the tracking page, and the confirmation email."""

import pytest
from django.urls import reverse

from parvis.accounts.actions import requester_find_or_create
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db

BIRTH_URL = reverse("portal:request_form", args=["acte-de-naissance"])


def test_it_emails_the_reference_and_the_demarche(
    client, catalog, birth_form, mailoutbox, django_capture_on_commit_callbacks, settings
):
    # The address was never confirmed: no link (test_acknowledgement_abuse.py).
    settings.BASE_URL = "https://demarches.example.fr"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(BIRTH_URL, birth_form())
    ticket = Ticket.objects.get()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["camille@example.fr"]
    assert ticket.reference in mail.subject
    assert ticket.reference in mail.body
    assert "Démarche : Demande d'acte de naissance" in mail.body


def test_it_sends_no_email_without_an_address(
    client, catalog, birth_form, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(BIRTH_URL, birth_form(email="", phone="0612345678"))
    assert mailoutbox == []


def test_it_shows_the_reference_and_the_email_once(client, catalog, birth_form):
    response = client.post(BIRTH_URL, birth_form(), follow=True)
    ticket = Ticket.objects.get()
    html = response.content.decode()
    assert "Votre demande a bien été enregistrée." in html
    assert f'Numéro de suivi : <span class="reference">{ticket.reference}</span>' in html
    assert "Un courriel de confirmation vous a été envoyé à camille@example.fr." in html
    again = client.get(reverse("portal:track", args=[ticket.tracking_token])).content.decode()
    assert "Votre demande a bien été enregistrée." not in again


def test_it_shows_the_tracking_link_to_keep_without_email(client, catalog, birth_form):
    response = client.post(BIRTH_URL, birth_form(email="", phone="0612345678"), follow=True)
    ticket = Ticket.objects.get()
    html = response.content.decode()
    assert "Votre demande a bien été enregistrée." in html
    assert "Notez ce numéro et gardez ce lien" in html
    assert f"http://testserver/suivi/{ticket.tracking_token}/" in html
    assert "Un courriel de confirmation" not in html


def test_it_never_reveals_the_email_of_a_requester_found_by_phone(client, catalog, birth_form):
    requester_find_or_create(name="Autre", email="secret@example.fr", phone="0612345678")
    html = client.post(
        BIRTH_URL, birth_form(email="", phone="06 12 34 56 78"), follow=True
    ).content.decode()
    assert "secret@example.fr" not in html
    assert "Notez ce numéro et gardez ce lien" in html


def test_the_banner_belongs_to_the_ticket_just_filed(client, catalog, birth_form, make_ticket):
    other = make_ticket("nid-de-poule")
    client.post(BIRTH_URL, birth_form())
    html = client.get(reverse("portal:track", args=[other.tracking_token])).content.decode()
    assert "Votre demande a bien été enregistrée." not in html


def test_filing_creates_no_session(client, catalog, birth_form):
    from django.contrib.sessions.models import Session

    response = client.post(BIRTH_URL, birth_form(), follow=True)
    assert "Votre demande a bien été enregistrée." in response.content.decode()
    assert Session.objects.count() == 0  # the banner's mark is a signed cookie


def test_a_forged_or_foreign_mark_shows_no_banner(client, catalog, birth_form, make_ticket):
    from parvis.portal.acknowledgement import COOKIE

    other = make_ticket("nid-de-poule")
    client.cookies[COOKIE] = other.tracking_token  # unsigned: typed in by hand
    html = client.get(reverse("portal:track", args=[other.tracking_token])).content.decode()
    assert "Votre demande a bien été enregistrée." not in html
